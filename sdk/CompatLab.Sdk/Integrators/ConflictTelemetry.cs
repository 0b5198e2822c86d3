using static TorchSharp.torch;

namespace CompatLab.Sdk.Integrators;

/// <summary>
/// What every integrator reports, measured on the original task gradients: the fraction of task pairs whose
/// gradients conflict (negative inner product over the whole tensor), the fraction of (pair, row) combinations
/// that conflict row by row, and the weight each task's gradient gets in <c>g = T * sum_i w_i g_i</c>.
/// </summary>
public static class ConflictTelemetry
{
    public const string PairFraction = "conflict_pair_fraction";
    public const string RowFraction = "conflict_row_fraction";

    public static string WeightKey(int task) => $"weight_{task}";

    /// <param name="rows">Original gradients as [tasks, rows, row length].</param>
    /// <param name="weights">Per-task weights (summing to one).</param>
    public static IReadOnlyDictionary<string, double> Measure(Tensor rows, IReadOnlyList<double> weights)
    {
        using var scope = NewDisposeScope();
        long tasks = rows.shape[0];
        long rowCount = rows.shape[1];
        var telemetry = new Dictionary<string, double>();
        long pairs = tasks * (tasks - 1) / 2;
        if (pairs == 0)
        {
            telemetry[PairFraction] = 0;
            telemetry[RowFraction] = 0;
        }
        else
        {
            var upper = ones(tasks, tasks, dtype: ScalarType.Bool, device: rows.device).triu(1);
            var flat = rows.reshape(tasks, -1);
            var pairDots = flat.mm(flat.t());
            var rowDots = einsum("ird,jrd->ijr", rows, rows);
            long conflictingPairs = pairDots.lt(0).logical_and(upper).sum().item<long>();
            long conflictingRows = rowDots.lt(0).logical_and(upper.unsqueeze(2)).sum().item<long>();
            telemetry[PairFraction] = (double)conflictingPairs / pairs;
            telemetry[RowFraction] = (double)conflictingRows / (pairs * rowCount);
        }

        for (int k = 0; k < weights.Count; k++)
        {
            telemetry[WeightKey(k)] = weights[k];
        }

        return telemetry;
    }

    /// <summary>Equal weights 1/T: what plain summing amounts to in the weighted form.</summary>
    public static double[] EqualWeights(int tasks) => Enumerable.Repeat(1.0 / tasks, tasks).ToArray();
}
