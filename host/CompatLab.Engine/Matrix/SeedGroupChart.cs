using ScottPlot;

namespace CompatLab.Engine.Matrix;

/// <summary>
/// Self-test against cross-test per matrix setting: mean mAP over seeds with ±1 std error bars, and the mean old
/// self-test as a dashed line (the bar a cross-test must clear for ECC).
/// </summary>
public static class SeedGroupChart
{
    public static void Save(string path, IReadOnlyList<SeedGroup> groups, string title)
    {
        var plot = new Plot();
        var series = new (string Name, Color Color, Func<SeedGroup, MeanStd> Value)[]
        {
            ("new self-test", Colors.SteelBlue, g => g.NewSelf),
            ("cross-test (new vs old gallery)", Colors.DarkOrange, g => g.Cross),
        };
        var bars = new List<Bar>();
        for (int i = 0; i < groups.Count; i++)
        {
            for (int s = 0; s < series.Length; s++)
            {
                var value = series[s].Value(groups[i]);
                bars.Add(new Bar
                {
                    Position = (i * (series.Length + 1)) + s,
                    Value = double.IsFinite(value.Mean) ? value.Mean : 0,
                    Error = double.IsFinite(value.Std) ? value.Std : 0,
                    FillColor = series[s].Color,
                });
            }
        }

        plot.Add.Bars(bars);
        double oldSelf = MeanStd.Of(groups.Select(g => g.OldSelf.Mean).ToList()).Mean;
        if (double.IsFinite(oldSelf))
        {
            var line = plot.Add.HorizontalLine(oldSelf);
            line.LinePattern = LinePattern.Dashed;
            line.Color = Colors.Gray;
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = "old self-test", LineColor = Colors.Gray, LinePattern = LinePattern.Dashed, LineWidth = 2 });
        }

        var ticks = groups.Select((g, i) => new Tick((i * (series.Length + 1)) + 0.5, g.Setting)).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks);
        // Settings get 110 px each, room for a label like "hot-refresh"; only long matrices need slanted labels.
        bool slanted = groups.Count > 10 || groups.Any(g => g.Setting.Length > 14);
        plot.Axes.Bottom.TickLabelStyle.Rotation = slanted ? 45 : 0;
        plot.Axes.Bottom.TickLabelStyle.Alignment = slanted ? Alignment.MiddleLeft : Alignment.UpperCenter;
        if (slanted)
        {
            plot.Axes.Bottom.MinimumSize = 8 * groups.Max(g => g.Setting.Length);
        }

        foreach (var (name, color, _) in series)
        {
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = name, FillColor = color });
        }

        plot.ShowLegend(Alignment.UpperRight);
        plot.Axes.SetLimitsY(0, 1.15);
        plot.YLabel("mAP (mean ± std over seeds)");
        plot.Title(title);
        plot.SavePng(path, Math.Max(640, 110 * groups.Count), slanted ? 560 : 480);
    }
}
