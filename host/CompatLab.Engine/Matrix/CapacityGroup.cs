using CompatLab.Engine.Runs;

namespace CompatLab.Engine.Matrix;

/// <summary>
/// One row of a PrunNet matrix's per-capacity table: the subnetworks of one setting, criterion, scope and capacity
/// over the setting's seeds, mean ± std of the sub self-test, the sub-to-dense cross-test and what they keep.
/// </summary>
public sealed record CapacityGroup(
    string Setting,
    string Method,
    string Criterion,
    string Scope,
    double Capacity,
    IReadOnlyList<int> Seeds,
    MeanStd SubSelf,
    MeanStd Cross,
    MeanStd KeptFraction,
    MeanStd KeptParameters)
{
    /// <summary>Groups in order of first appearance; runs without subnetworks are left out.</summary>
    public static IReadOnlyList<CapacityGroup> From(IReadOnlyList<RunResult> results) =>
        results
            .Where(r => r.Subnetworks is not null)
            .SelectMany(r => r.Subnetworks!.Select(s => (Run: r, Row: s)))
            .GroupBy(x => (Setting: SeedGroup.SettingOf(x.Run), x.Row.Criterion, x.Row.Scope, x.Row.Capacity))
            .Select(g => new CapacityGroup(
                g.Key.Setting,
                g.First().Run.Loss,
                g.Key.Criterion,
                g.Key.Scope,
                g.Key.Capacity,
                g.Select(x => x.Run.Seed).ToList(),
                MeanStd.Of(g.Select(x => x.Row.SubSelf.Map).ToList()),
                MeanStd.Of(g.Select(x => x.Row.SubToDense.Map).ToList()),
                MeanStd.Of(g.Select(x => x.Row.KeptFraction).ToList()),
                MeanStd.Of(g.Select(x => (double)x.Row.KeptParameters).ToList())))
            .ToList();
}
