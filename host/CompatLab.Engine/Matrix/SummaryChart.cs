using CompatLab.Engine.Runs;
using ScottPlot;

namespace CompatLab.Engine.Matrix;

/// <summary>Grouped bars per run: old self-test, new self-test and cross-test mAP.</summary>
public static class SummaryChart
{
    public static void Save(string path, IReadOnlyList<RunResult> results)
    {
        var plot = new Plot();
        var series = new (string Name, Color Color, Func<RunResult, double> Value)[]
        {
            ("old self", Colors.Gray, r => r.OldSelf?.Map ?? 0),
            ("new self", Colors.SteelBlue, r => r.NewSelf.Map),
            ("cross (new vs old)", Colors.DarkOrange, r => r.Cross?.Map ?? 0),
        };
        var bars = new List<Bar>();
        for (int i = 0; i < results.Count; i++)
        {
            for (int s = 0; s < series.Length; s++)
            {
                bars.Add(new Bar { Position = (i * (series.Length + 1)) + s, Value = series[s].Value(results[i]), FillColor = series[s].Color });
            }
        }

        plot.Add.Bars(bars);
        var ticks = results.Select((r, i) => new Tick((i * (series.Length + 1)) + 1, $"{r.Label}")).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks);
        plot.Axes.Bottom.TickLabelStyle.Rotation = results.Count > 6 ? 45 : 0;
        plot.Axes.Bottom.TickLabelStyle.Alignment = results.Count > 6 ? Alignment.MiddleLeft : Alignment.UpperCenter;
        foreach (var (name, color, _) in series)
        {
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = name, FillColor = color });
        }

        plot.ShowLegend(Alignment.UpperRight);
        plot.Axes.SetLimitsY(0, 1.1);
        plot.YLabel("mAP");
        plot.Title("self-test and cross-test per run");
        plot.SavePng(path, Math.Max(600, 90 * results.Count), 450);
    }
}
