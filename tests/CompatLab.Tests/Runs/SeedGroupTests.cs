using CompatLab.Engine.Matrix;
using CompatLab.Engine.Runs;
using CompatLab.Tests.Support;
using Xunit;

namespace CompatLab.Tests.Runs;

public class SeedGroupTests
{
    private static RunResult Result(string label, string loss, int seed, double oldSelf, double newSelf, double cross) =>
        new(label, loss, seed, "f", new(oldSelf, 0, 100, 0), new(newSelf, 0, 100, 0), new(cross, 0, 100, 0));

    [Fact]
    public void GroupsRunsThatDifferOnlyInSeedWithSampleStd()
    {
        var a1 = Result("bct_s1", "bct", 1, 0.4, 0.7, 0.5);
        var a2 = Result("bct_s2", "bct", 2, 0.5, 0.9, 0.45);
        var b1 = Result("l2_s1", "l2", 1, 0.4, 0.6, 0.3);
        var gains = new Dictionary<RunResult, double> { [a1] = 0.2, [a2] = 0.4 };

        var groups = SeedGroup.From(new[] { a1, b1, a2 }, gains);

        Assert.Equal(new[] { "bct", "l2" }, groups.Select(g => g.Setting));
        var bct = groups[0];
        Assert.Equal(new[] { 1, 2 }, bct.Seeds);
        Assert.Equal(0.8, bct.NewSelf.Mean, 12);
        Assert.Equal(Math.Sqrt(0.02), bct.NewSelf.Std, 12);
        Assert.Equal(1, bct.EccPasses);
        Assert.Equal(0.3, bct.UpdateGain.Mean, 12);
        Assert.Equal(0, groups[1].UpdateGain.Count);
        Assert.True(double.IsNaN(groups[1].Cross.Std));
    }

    [Theory]
    [InlineData("bct_s3", 3, "bct")]
    [InlineData("s3", 3, "run")]
    [InlineData("ndpp_0.5_s12", 12, "ndpp_0.5")]
    [InlineData("bct", 1, "bct")]
    [InlineData("bct_s1", 2, "bct_s1")]
    public void SettingDropsOnlyTheRunsOwnSeedSuffix(string label, int seed, string setting) =>
        Assert.Equal(setting, SeedGroup.SettingOf(Result(label, "x", seed, 0, 0, 0)));

    [Fact]
    public void TableShowsMeanPlusMinusStdAndEccCounts()
    {
        var groups = SeedGroup.From(
            new[] { Result("bct_s1", "bct", 1, 0.4, 0.7, 0.5), Result("bct_s2", "bct", 2, 0.4, 0.9, 0.3) },
            new Dictionary<RunResult, double>());

        string table = SeedGroupTable.Markdown(groups);

        Assert.Contains("| bct | bct | 1,2 | 0.4000 ± 0.0000 | 0.8000 ± 0.1414 | 0.4000 ± 0.1414 | 1/2 pass | - |", table);
    }

    [Fact]
    public void RunsWithoutAnOldModelShowNoEccCount()
    {
        // PrunNet runs have no old model: no cross-test, so "0/2 pass" would misreport them as failing ECC.
        var groups = SeedGroup.From(
            new[] { new RunResult("s1", "prunnet/sum", 1, "f", null, new(0.7, 0, 100, 0), null), new RunResult("s2", "prunnet/sum", 2, "f", null, new(0.9, 0, 100, 0), null) },
            new Dictionary<RunResult, double>());

        Assert.False(groups[0].HasCrossTest);
        Assert.Contains("| run | prunnet/sum | 1,2 | - | 0.8000 ± 0.1414 | - | - | - |", SeedGroupTable.Markdown(groups));
    }

    [Fact]
    public void ChartIsAPng()
    {
        using var scratch = new ScratchFolder();
        var groups = SeedGroup.From(
            new[] { Result("bct_s1", "bct", 1, 0.4, 0.7, 0.5), Result("bct_s2", "bct", 2, 0.4, 0.9, 0.3), Result("l2_s1", "l2", 1, 0.4, 0.6, 0.2) },
            new Dictionary<RunResult, double>());
        string path = Path.Combine(scratch.Root, "chart.png");

        SeedGroupChart.Save(path, groups, "t");

        var header = File.ReadAllBytes(path).Take(8).ToArray();
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, header);
    }
}
