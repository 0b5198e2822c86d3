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

    /// <summary>The comparison chart of a PrunNet matrix: summary-capacity.png.</summary>
    public const string ComparisonFileName = "summary-capacity.png";

    /// <summary>
    /// Sub-to-dense cross-test against capacity for every setting and (criterion, scope) on one chart, mean over seeds
    /// with ±1 sample std as error bars. The mAP axis spans the data, not 0 to 1: the settings a matrix compares often
    /// differ by a hundredth, which a full axis would flatten.
    /// </summary>
    public static void SaveComparison(string path, string title, IReadOnlyList<CapacityGroup> groups)
    {
        var plot = new Plot();
        var lines = groups.GroupBy(g => (g.Setting, g.Criterion, g.Scope)).ToList();
        bool oneSetting = lines.Select(l => l.Key.Setting).Distinct().Count() == 1;
        bool onePair = lines.Select(l => (l.Key.Criterion, l.Key.Scope)).Distinct().Count() == 1;
        for (int i = 0; i < lines.Count; i++)
        {
            var rows = lines[i].OrderBy(g => g.Capacity).ToList();
            double[] capacities = rows.Select(g => g.Capacity).ToArray();
            double[] means = rows.Select(g => g.Cross.Mean).ToArray();
            var color = Palette[i % Palette.Length];
            var line = plot.Add.Scatter(capacities, means, color);
            var (setting, criterion, scope) = lines[i].Key;
            line.LegendText = oneSetting ? $"{criterion}/{scope}" : onePair ? setting : $"{setting} {criterion}/{scope}";
            double[] errors = rows.Select(g => double.IsFinite(g.Cross.Std) ? g.Cross.Std : 0).ToArray();
            var bars = plot.Add.ErrorBar(capacities, means, errors);
            bars.Color = color;
        }

        plot.ShowLegend(Alignment.LowerRight);
        var finite = groups.SelectMany(g => new[] { g.Cross.Mean - Spread(g.Cross), g.Cross.Mean + Spread(g.Cross) }).Where(double.IsFinite).ToList();
        double low = finite.Count == 0 ? 0 : finite.Min();
        double high = finite.Count == 0 ? 1 : finite.Max();
        double margin = Math.Max(0.01, (high - low) * 0.1);
        plot.Axes.SetLimitsX(0, 1.05);
        plot.Axes.SetLimitsY(Math.Max(0, low - margin), Math.Min(1.05, high + margin));
        plot.XLabel("capacity (fraction of masked-layer weights kept)");
        plot.YLabel("sub-to-dense mAP (mean ± std over seeds)");
        plot.Title(title);
        plot.SavePng(path, 720, 480);
    }

    private static double Spread(MeanStd value) => double.IsFinite(value.Std) ? value.Std : 0;
}
