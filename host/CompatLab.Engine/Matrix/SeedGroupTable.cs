using System.Globalization;
using System.Text;

namespace CompatLab.Engine.Matrix;

/// <summary>The seed-aggregated table: one row per setting, mean ± sample std over its seeds, ECC as passes out of seeds.</summary>
public static class SeedGroupTable
{
    public static string Markdown(IReadOnlyList<SeedGroup> groups)
    {
        var text = new StringBuilder();
        text.AppendLine("| setting | loss | seeds | old self mAP | new self mAP | cross mAP | ECC | update gain |");
        text.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var g in groups)
        {
            text.AppendLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {g.Setting} | {g.Loss} | {string.Join(",", g.Seeds)} | {Pm(g.OldSelf)} | {Pm(g.NewSelf)} | {Pm(g.Cross)} | {g.EccPasses}/{g.Seeds.Count} pass | {Pm(g.UpdateGain)} |"));
        }

        return text.ToString();
    }

    public static string Pm(MeanStd value) =>
        value.Count == 0 ? "-" : value.Count == 1 ? F(value.Mean) : $"{F(value.Mean)} ± {F(value.Std)}";

    private static string F(double value) => value.ToString("F4", CultureInfo.InvariantCulture);
}
