using ScottPlot;

namespace CompatLab.Engine.Pruning;

/// <summary>mAP against capacity: the subnetworks alone, against the dense gallery, and the dense model as a line.</summary>
public static class PruningChart
{
    public static void Save(string path, PruningReport report)
    {
        var rows = report.Grid.Capacities.OrderBy(c => c.Capacity).ToList();
        double[] capacities = rows.Select(c => c.Capacity).ToArray();
        var plot = new Plot();

        var self = plot.Add.Scatter(capacities, rows.Select(c => c.SubSelf.Map).ToArray(), Colors.SteelBlue);
        self.LegendText = "sub self-test M(phi_c, phi_c)";
        var cross = plot.Add.Scatter(capacities, rows.Select(c => c.SubToDense.Map).ToArray(), Colors.DarkOrange);
        cross.LegendText = "sub-to-dense M(phi_c, phi_1)";
        var dense = plot.Add.HorizontalLine(report.Grid.DenseSelf.Map, color: Colors.Gray, pattern: LinePattern.Dashed);
        dense.LegendText = "dense self-test";

        plot.ShowLegend(Alignment.LowerRight);
        plot.Axes.SetLimitsX(0, 1.05);
        plot.Axes.SetLimitsY(0, 1.05);
        plot.XLabel("capacity (fraction of masked-layer weights kept)");
        plot.YLabel("mAP");
        plot.Title($"{report.Criterion}, {report.Scope} scope{(report.RecalibrationBatches > 0 ? string.Empty : ", no BatchNorm recalibration")}");
        plot.SavePng(path, 720, 480);
    }
}
