using CompatLab.Engine.Runs;

namespace CompatLab.Engine.Matrix;

/// <summary>A mean and sample standard deviation (n - 1) of one score over a group's seeds; std is NaN for one seed.</summary>
public readonly record struct MeanStd(double Mean, double Std, int Count)
{
    public static MeanStd Of(IReadOnlyCollection<double> values)
    {
        var finite = values.Where(double.IsFinite).ToList();
        if (finite.Count == 0)
        {
            return new MeanStd(double.NaN, double.NaN, 0);
        }

        double mean = finite.Average();
        double std = finite.Count < 2 ? double.NaN : Math.Sqrt(finite.Sum(v => (v - mean) * (v - mean)) / (finite.Count - 1));
        return new MeanStd(mean, std, finite.Count);
    }
}

/// <summary>
/// The runs of one matrix setting that differ only in their seed (labels equal once the trailing "_s&lt;seed&gt;" is
/// removed), summarised as mean ± std per score; the rows of a paper-style table.
/// </summary>
public sealed record SeedGroup(
    string Setting,
    string Loss,
    IReadOnlyList<int> Seeds,
    MeanStd OldSelf,
    MeanStd NewSelf,
    MeanStd Cross,
    int EccPasses,
    MeanStd UpdateGain)
{
    /// <summary>Whether any of the group's runs was cross-tested against an old model, so ECC applies.</summary>
    public bool HasCrossTest => Cross.Count > 0;

    /// <summary>Groups in order of first appearance.</summary>
    public static IReadOnlyList<SeedGroup> From(IReadOnlyList<RunResult> results, IReadOnlyDictionary<RunResult, double> gains) =>
        results
            .GroupBy(SettingOf)
            .Select(g => new SeedGroup(
                g.Key,
                g.First().Loss,
                g.Select(r => r.Seed).ToList(),
                MeanStd.Of(g.Select(r => r.OldSelf?.Map ?? double.NaN).ToList()),
                MeanStd.Of(g.Select(r => r.NewSelf.Map).ToList()),
                MeanStd.Of(g.Select(r => r.Cross?.Map ?? double.NaN).ToList()),
                g.Count(r => r.Ecc),
                MeanStd.Of(g.Select(r => gains.TryGetValue(r, out double v) ? v : double.NaN).ToList())))
            .ToList();

    public static string SettingOf(RunResult result)
    {
        string suffix = $"s{result.Seed}";
        if (result.Label == suffix)
        {
            return "run";
        }

        return result.Label.EndsWith("_" + suffix, StringComparison.Ordinal) ? result.Label[..^(suffix.Length + 1)] : result.Label;
    }
}
