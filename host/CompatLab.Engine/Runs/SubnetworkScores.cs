using System.Globalization;
using CompatLab.Engine.Pruning;
using CompatLab.Engine.Evaluation;

namespace CompatLab.Engine.Runs;

/// <summary>
/// One subnetwork of a PrunNet run's evaluation grid: pruned from the trained network with <paramref name="Criterion"/>
/// at <paramref name="Scope"/> scope to <paramref name="Capacity"/>, tested alone (sub self-test) and against the
/// dense network's gallery (sub-to-dense cross-test).
/// </summary>
/// <param name="KeptFraction">Kept share of the masked layers' weights (the capacity after rounding per layer).</param>
/// <param name="KeptParameters">Parameters of the embedding network the subnetwork keeps (unmasked ones included).</param>
/// <param name="NetworkParameters">Parameters of the dense embedding network (no scores, no classifier).</param>
public sealed record SubnetworkScores(
    string Criterion,
    string Scope,
    double Capacity,
    double KeptFraction,
    long KeptParameters,
    long NetworkParameters,
    int RecalibrationBatches,
    RetrievalScores SubSelf,
    RetrievalScores SubToDense)
{
    public static SubnetworkScores From(string criterion, string scope, CapacityResult result) =>
        new(criterion, scope, result.Capacity, result.KeptFraction, result.KeptParameters, result.NetworkParameters, result.RecalibrationBatches, result.SubSelf, result.SubToDense);

    /// <summary>The run-folder chart of one (criterion, scope) pair: map-vs-capacity-learned-score-layer.png.</summary>
    public static string ChartFile(string criterion, string scope) => $"map-vs-capacity-{criterion}-{scope}.png";

    /// <summary>The capacity as a metric key part: c1, c0.2.</summary>
    public static string CapacityKey(double capacity) => "c" + capacity.ToString(CultureInfo.InvariantCulture);

    /// <summary>Tracker metrics, e.g. eval.prune.learned-score.layer.c0.2.cross_map.</summary>
    public static IEnumerable<(string Name, double Value)> Metrics(SubnetworkScores row)
    {
        string prefix = $"eval.prune.{row.Criterion}.{row.Scope}.{CapacityKey(row.Capacity)}";
        yield return ($"{prefix}.sub_self_map", row.SubSelf.Map);
        yield return ($"{prefix}.sub_self_recall_at_1", row.SubSelf.RecallAt1);
        yield return ($"{prefix}.cross_map", row.SubToDense.Map);
        yield return ($"{prefix}.cross_recall_at_1", row.SubToDense.RecallAt1);
        yield return ($"{prefix}.kept_fraction", row.KeptFraction);
        yield return ($"{prefix}.kept_parameters", row.KeptParameters);
    }
}
