using CompatLab.Engine.Matrix;
using CompatLab.Engine.Runs;
using CompatLab.Tests.Support;
using Xunit;
using CompatLab.Engine.Evaluation;

namespace CompatLab.Tests.Runs;

/// <summary>The PrunNet part of a matrix summary, from hand-made results.</summary>
public class PrunNetSummaryTests
{
    private static RetrievalScores Map(double map) => new(map, 0, 100, 0);

    private static SubnetworkScores Row(string criterion, double capacity, double self, double cross) =>
        new(criterion, "layer", capacity, capacity, (long)(1000 * capacity), 1000, 5, Map(self), Map(cross));

    // Two seeds of the sum setting, one of pcgrad; each with the grid 1, 0.5, 0.2.
    private static RunResult Run(string setting, string method, int seed, string folder, double cross05, double cross02) =>
        new($"{setting}_s{seed}", method, seed, folder, null, Map(0.9), null)
        {
            Subnetworks = [Row("learned-score", 1.0, 0.9, 0.9), Row("learned-score", 0.5, 0.8, cross05), Row("learned-score", 0.2, 0.6, cross02)],
        };

    [Fact]
    public void CapacityRowsAreMeanAndStdOverSeedsPerSettingCriterionScopeAndCapacity()
    {
        var results = new[] { Run("sum", "prunnet/sum", 1, "a", 0.7, 0.4), Run("sum", "prunnet/sum", 2, "b", 0.5, 0.2), Run("pcgrad", "prunnet/pcgrad", 1, "c", 0.6, 0.3) };

        var groups = CapacityGroup.From(results);

        Assert.Equal(6, groups.Count);
        var sumHalf = groups.Single(g => g.Setting == "sum" && g.Capacity == 0.5);
        Assert.Equal(("prunnet/sum", "learned-score", "layer"), (sumHalf.Method, sumHalf.Criterion, sumHalf.Scope));
        Assert.Equal(new[] { 1, 2 }, sumHalf.Seeds);
        Assert.Equal(0.6, sumHalf.Cross.Mean, 12);
        Assert.Equal(Math.Sqrt(0.02), sumHalf.Cross.Std, 12);
        Assert.Equal(0.8, sumHalf.SubSelf.Mean, 12);
        Assert.Equal(0.5, sumHalf.KeptFraction.Mean, 12);
        Assert.Equal(500, sumHalf.KeptParameters.Mean, 12);
        Assert.Equal(1, groups.Single(g => g.Setting == "pcgrad" && g.Capacity == 0.2).Cross.Count);
    }

    [Fact]
    public void IntegratorRowsAverageCrossOverPrunedCapacitiesAndTelemetryOverSeeds()
    {
        var results = new[] { Run("sum", "prunnet/sum", 1, "a", 0.7, 0.4), Run("sum", "prunnet/sum", 2, "b", 0.5, 0.2) };
        var telemetry = new Dictionary<string, IntegratorTelemetry> { ["a"] = new(0.2, 0.1), ["b"] = new(0.4, 0.3) };

        var group = Assert.Single(IntegratorGroup.From(results, r => telemetry[r.RunFolder]));

        Assert.Equal("sum", group.Setting);
        Assert.Equal(((0.7 + 0.4) / 2 + (0.5 + 0.2) / 2) / 2, group.MeanCross.Mean, 12); // capacity 1 left out
        Assert.Equal(0.3, group.ConflictPairFraction.Mean, 12);
        Assert.Equal(0.2, group.ConflictRowFraction.Mean, 12);
    }

    [Fact]
    public void TelemetryIsTheMeanOfTheLoggedConflictFractions()
    {
        using var scratch = new ScratchFolder();
        scratch.File("run/metrics.jsonl", """
            {"key":"new.loss_c1.0","value":2.3,"step":2,"timestamp":1}
            {"key":"new.integrator.conflict_pair_fraction","value":0.5,"step":2,"timestamp":1}
            {"key":"new.integrator.conflict_row_fraction","value":0.25,"step":2,"timestamp":1}
            {"key":"new.integrator.conflict_pair_fraction","value":0.3,"step":4,"timestamp":2}
            {"key":"new.integrator.conflict_row_fraction","value":0.15,"step":4,"timestamp":2}
            """);

        var telemetry = IntegratorTelemetry.Read(scratch.PathOf("run"));

        Assert.Equal(0.4, telemetry.ConflictPairFraction, 12);
        Assert.Equal(0.2, telemetry.ConflictRowFraction, 12);
        Assert.True(double.IsNaN(IntegratorTelemetry.Read(scratch.PathOf("missing")).ConflictPairFraction));
    }

    [Fact]
    public void SummaryTableHasBothViewsAndTheChartIsWrittenPerSetting()
    {
        using var scratch = new ScratchFolder();
        var results = new[] { Run("sum", "prunnet/sum", 1, "a", 0.7, 0.4), Run("pcgrad", "prunnet/pcgrad", 1, "b", 0.6, 0.3) };
        var capacities = CapacityGroup.From(results);
        var integrators = IntegratorGroup.From(results, _ => IntegratorTelemetry.None);

        string table = PrunNetSummaryTable.Markdown(capacities, integrators);
        CapacityChart.Save(scratch.PathOf(CapacityChart.FileName("sum")), "sum", capacities);

        Assert.Contains("| sum | prunnet/sum | learned-score | layer | 0.2 | 1 | 0.6000 | 0.4000 | 0.2000 | 200 |", table);
        Assert.Contains("| pcgrad | prunnet/pcgrad | learned-score | layer | 1 | 0.4500 | - | - |", table);
        Assert.Contains("| sum | prunnet/sum | learned-score | layer | 1 | 0.5500 | - | - |", table);
        Assert.True(new FileInfo(scratch.PathOf("summary-capacity-sum.png")).Length > 0);

        CapacityChart.SaveComparison(scratch.PathOf(CapacityChart.ComparisonFileName), "t4", capacities);
        byte[] png = File.ReadAllBytes(scratch.PathOf("summary-capacity.png"));
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png.Take(4));
    }
}
