using CompatLab.Engine.Matrix;
using CompatLab.Engine.Runs;
using Xunit;

namespace CompatLab.Tests.Runs;

public class MatrixSummaryTests
{
    private static RunResult Result(string loss, double oldSelf, double newSelf, double cross) =>
        new(loss, loss, 1, "f", new(oldSelf, 0, 100, 0), new(newSelf, 0, 100, 0), new(cross, 0, 100, 0));

    [Fact]
    public void UpdateGainUsesTheReferenceRunThatSharesTheOldModel()
    {
        var independent = Result("independent", 0.4, 0.8, 0.1);
        var bct = Result("bct", 0.4, 0.7, 0.5);
        var otherSeed = Result("bct", 0.3, 0.7, 0.5);

        var gains = MatrixSummary.UpdateGains(new[] { (independent, "a", true), (bct, "a", false), (otherSeed, "b", false) });

        Assert.Equal((0.5 - 0.4) / (0.8 - 0.4), gains[bct], 12);
        Assert.Equal((0.1 - 0.4) / (0.8 - 0.4), gains[independent], 12);
        Assert.False(gains.ContainsKey(otherSeed));
    }

    [Fact]
    public void TheReferenceLossIsMarkedByItsPluginNotNamedByTheEngine()
    {
        using var catalog = Support.BuiltInPlugins.Load();

        var references = catalog.OfKind(Abstractions.Plugins.PluginKind.CompatibilityLoss).Where(p => p.UpdateGainReference).Select(p => p.Name);

        Assert.Equal(new[] { "independent" }, references);
    }

    [Fact]
    public void TableShowsEccAndGain()
    {
        var bct = Result("bct", 0.4, 0.7, 0.5);
        string table = ResultsTable.Markdown(new[] { bct }, new Dictionary<RunResult, double> { [bct] = 0.25 });

        Assert.Contains("| bct | bct | 1 | 0.4000 | 0.7000 | 0.5000 | 0.0000 | 0.0000 | pass | 0.2500 |", table);
    }
}
