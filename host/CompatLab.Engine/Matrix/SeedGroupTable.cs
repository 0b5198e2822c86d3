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
                $"| {g.Setting} | {g.Loss} | {string.Join(",", g.Seeds)} | {Pm(g.OldSelf)} | {Pm(g.NewSelf)} | {Pm(g.Cross)} | {Ecc(g)} | {Pm(g.UpdateGain)} |"));
        }

        return text.ToString();
    }

    /// <summary>Passes out of seeds; "-" for settings with no old model (PrunNet runs), where ECC does not apply.</summary>
    private static string Ecc(SeedGroup g) => g.HasCrossTest ? $"{g.EccPasses}/{g.Seeds.Count} pass" : "-";

    public static string Pm(MeanStd value) =>
        value.Count == 0 ? "-" : value.Count == 1 ? F(value.Mean) : $"{F(value.Mean)} ± {F(value.Std)}";

    private static string F(double value) => value.ToString("F4", CultureInfo.InvariantCulture);
}
