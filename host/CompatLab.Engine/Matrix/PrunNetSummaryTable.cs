using System.Globalization;
using System.Text;

namespace CompatLab.Engine.Matrix;

/// <summary>The PrunNet part of a matrix summary: the per-capacity table (T3, T5) and the integrator view (T4).</summary>
public static class PrunNetSummaryTable
{
    public static string Markdown(IReadOnlyList<CapacityGroup> capacities, IReadOnlyList<IntegratorGroup> integrators)
    {
        var text = new StringBuilder();
        text.AppendLine("Subnetworks per capacity (mean ± sample std over seeds):");
        text.AppendLine();
        text.AppendLine("| setting | method | criterion | scope | capacity | seeds | sub self mAP | sub-to-dense mAP | weights kept | parameters kept |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var c in capacities)
        {
            text.AppendLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {c.Setting} | {c.Method} | {c.Criterion} | {c.Scope} | {c.Capacity:0.###} | {string.Join(",", c.Seeds)} | {SeedGroupTable.Pm(c.SubSelf)} | {SeedGroupTable.Pm(c.Cross)} | {SeedGroupTable.Pm(c.KeptFraction)} | {c.KeptParameters.Mean:F0} |"));
        }

        text.AppendLine();
        text.AppendLine("Integrators: sub-to-dense mAP averaged over the capacities below 1, conflict telemetry averaged over training (mean ± sample std over seeds):");
        text.AppendLine();
        text.AppendLine("| setting | method | criterion | scope | seeds | mean sub-to-dense mAP | conflicting task pairs | conflicting rows |");
        text.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var i in integrators)
        {
            text.AppendLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {i.Setting} | {i.Method} | {i.Criterion} | {i.Scope} | {string.Join(",", i.Seeds)} | {SeedGroupTable.Pm(i.MeanCross)} | {SeedGroupTable.Pm(i.ConflictPairFraction)} | {SeedGroupTable.Pm(i.ConflictRowFraction)} |"));
        }

        return text.ToString();
    }
}
