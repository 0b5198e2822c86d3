using ScottPlot;

namespace CompatLab.Engine.Matrix;

/// <summary>
/// mAP against capacity for one matrix setting, mean over seeds: per (criterion, scope) the sub-to-dense cross-test
/// as a solid line and the sub self-test dashed, in the same colour.
/// </summary>
public static class CapacityChart
{
    private static readonly Color[] Palette =
        [Colors.DarkOrange, Colors.SteelBlue, Colors.ForestGreen, Colors.Crimson, Colors.Purple, Colors.Brown, Colors.HotPink, Colors.Teal, Colors.Olive, Colors.Gray];

    /// <summary>The chart file of a setting: summary-capacity-&lt;setting&gt;.png.</summary>
    public static string FileName(string setting) => $"summary-capacity-{setting}.png";

    public static void Save(string path, string setting, IReadOnlyList<CapacityGroup> groups)
    {
        var plot = new Plot();
        var pairs = groups.Where(g => g.Setting == setting).GroupBy(g => (g.Criterion, g.Scope)).ToList();
        for (int i = 0; i < pairs.Count; i++)
        {
            var rows = pairs[i].OrderBy(g => g.Capacity).ToList();
            double[] capacities = rows.Select(g => g.Capacity).ToArray();
            var color = Palette[i % Palette.Length];
            var cross = plot.Add.Scatter(capacities, rows.Select(g => g.Cross.Mean).ToArray(), color);
            cross.LegendText = $"{pairs[i].Key.Criterion}/{pairs[i].Key.Scope} sub-to-dense";
            var self = plot.Add.Scatter(capacities, rows.Select(g => g.SubSelf.Mean).ToArray(), color);
            self.LinePattern = LinePattern.Dashed;
            self.LegendText = $"{pairs[i].Key.Criterion}/{pairs[i].Key.Scope} sub self";
        }

        plot.ShowLegend(Alignment.LowerRight);
        plot.Axes.SetLimitsX(0, 1.05);
        plot.Axes.SetLimitsY(0, 1.05);
        plot.XLabel("capacity (fraction of masked-layer weights kept)");
        plot.YLabel("mAP (mean over seeds)");
        plot.Title($"{setting}: mAP vs capacity");
        plot.SavePng(path, 720, 480);
    }
}
