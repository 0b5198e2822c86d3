using System.Globalization;
using System.Text;

namespace CompatLab.Engine.Runs;

/// <summary>Formats run results as a Markdown table (also readable as plain text in a terminal).</summary>
public static class ResultsTable
{
    public static string Markdown(IReadOnlyList<RunResult> results, IReadOnlyDictionary<RunResult, double>? updateGains = null)
    {
        var text = new StringBuilder();
        int k = results.FirstOrDefault(r => r.Cross is not null)?.Cross!.K ?? 100;
        text.AppendLine($"| run | loss | seed | old self mAP | new self mAP | cross mAP | cross mAP@{k} | cross R@1 | ECC | update gain |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in results)
        {
            string gain = updateGains is not null && updateGains.TryGetValue(r, out double g) && double.IsFinite(g) ? F(g) : "-";
            text.AppendLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {r.Label} | {r.Loss} | {r.Seed} | {F(r.OldSelf?.Map)} | {F(r.NewSelf.Map)} | {F(r.Cross?.Map)} | {F(r.Cross?.MapAtK)} | {F(r.Cross?.RecallAt1)} | {Ecc(r)} | {gain} |"));
        }

        return text.ToString();
    }

    // NaN is a number that was not measured (full mAP of a streamed open-set gallery): shown as not available.
    private static string F(double? value) => value is { } v && !double.IsNaN(v) ? v.ToString("F4", CultureInfo.InvariantCulture) : "-";

    private static string Ecc(RunResult r) => r.Cross is null ? "-" : r.Ecc ? "pass" : "fail";
}
