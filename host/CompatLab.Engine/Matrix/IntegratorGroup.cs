using CompatLab.Engine.Runs;

namespace CompatLab.Engine.Matrix;

/// <summary>
/// The T4 view of a PrunNet matrix, one row per setting and (criterion, scope): each run's sub-to-dense cross-test
/// averaged over its pruned capacities (below 1; the dense network against itself would only add its self-test),
/// and its integrator's conflict telemetry averaged over training; then mean ± std over the setting's seeds.
/// </summary>
public sealed record IntegratorGroup(
    string Setting,
    string Method,
    string Criterion,
    string Scope,
    IReadOnlyList<int> Seeds,
    MeanStd MeanCross,
    MeanStd ConflictPairFraction,
    MeanStd ConflictRowFraction)
{
    public static IReadOnlyList<IntegratorGroup> From(IReadOnlyList<RunResult> results, Func<RunResult, IntegratorTelemetry> telemetryOf)
    {
        var prunNet = results.Where(r => r.Subnetworks is not null).ToList();
        var telemetry = new Dictionary<RunResult, IntegratorTelemetry>(ReferenceEqualityComparer.Instance);
        foreach (var run in prunNet)
        {
            telemetry[run] = telemetryOf(run);
        }

        return prunNet
            .SelectMany(r => r.Subnetworks!.GroupBy(s => (s.Criterion, s.Scope)).Select(pair => (Run: r, Pair: pair.Key, MeanCross: MeanCrossOf(pair.ToList()))))
            .GroupBy(x => (Setting: SeedGroup.SettingOf(x.Run), x.Pair.Criterion, x.Pair.Scope))
            .Select(g => new IntegratorGroup(
                g.Key.Setting,
                g.First().Run.Loss,
                g.Key.Criterion,
                g.Key.Scope,
                g.Select(x => x.Run.Seed).ToList(),
                MeanStd.Of(g.Select(x => x.MeanCross).ToList()),
                MeanStd.Of(g.Select(x => telemetry[x.Run].ConflictPairFraction).ToList()),
                MeanStd.Of(g.Select(x => telemetry[x.Run].ConflictRowFraction).ToList())))
            .ToList();
    }

    private static double MeanCrossOf(IReadOnlyList<SubnetworkScores> rows)
    {
        var pruned = rows.Where(r => r.Capacity < 1).ToList();
        return (pruned.Count > 0 ? pruned : rows).Average(r => r.SubToDense.Map);
    }
}
