using System.Globalization;
using System.Text;

namespace CompatLab.Engine.Runs;

/// <summary>A PrunNet run's subnetworks as the Markdown table its results.md ends with.</summary>
public static class SubnetworkTable
{
    public static string Markdown(IReadOnlyList<SubnetworkScores> rows)
    {
        var text = new StringBuilder();
        text.AppendLine("| criterion | scope | capacity | weights kept | parameters kept | sub self mAP | sub self R@1 | sub-to-dense mAP | sub-to-dense R@1 |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var r in rows)
        {
            text.AppendLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {r.Criterion} | {r.Scope} | {r.Capacity:0.###} | {F(r.KeptFraction)} | {r.KeptParameters} / {r.NetworkParameters} | {F(r.SubSelf.Map)} | {F(r.SubSelf.RecallAt1)} | {F(r.SubToDense.Map)} | {F(r.SubToDense.RecallAt1)} |"));
        }

        return text.ToString();
    }

    private static string F(double value) => value.ToString("F4", CultureInfo.InvariantCulture);
}
