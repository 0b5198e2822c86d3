using CompatLab.Engine.Configuration;
using CompatLab.Engine.Runs;
using CompatLab.Tests.Support;
using Xunit;

namespace CompatLab.Tests.PrunNet;

public class PrunNetConfigurationTests
{
    private static ResolvedExperiment Resolve(string file, params string[] sets)
    {
        var document = ExperimentDocument.Load(file);
        using var catalog = BuiltInPlugins.Load();
        return new ExperimentResolver(catalog).Resolve(document.CloneContent(), document.Provenance, sets, new Dictionary<string, string>(), "run");
    }

    private static string ResolveFails(string prunNet, params string[] sets)
    {
        using var scratch = new ScratchFolder();
        string file = scratch.File("e.json", TinyExperiment.PrunNetJson(prunNet));
        return Assert.Throws<ConfigException>(() => Resolve(file, sets)).Message;
    }

    [Fact]
    public void AnEmptySectionGivesTheDefaultsAndNeedsNoLoss()
    {
        using var scratch = new ScratchFolder();

        var experiment = Resolve(scratch.File("e.json", TinyExperiment.PrunNetJson("{}")));

        Assert.Null(experiment.Loss);
        Assert.Equal(new[] { 1.0, 0.8, 0.6, 0.4, 0.2 }, experiment.PrunNet!.Capacities);
        Assert.Equal("conflict-aware", experiment.PrunNet.Integrator.Descriptor.Name);
        Assert.Equal(100, experiment.PrunNet.GradClipNorm);
        Assert.Equal("prunnet/conflict-aware", experiment.Method);
        Assert.Equal(0.5, (double)experiment.Resolved["prunnet"]!["integrator"]!["options"]!["p"]!);
    }

    [Fact]
    public void CapacitiesAreSortedLargestFirstSoEqualListsNameTheSameRun()
    {
        using var scratch = new ScratchFolder();
        var sorted = Resolve(scratch.File("a.json", TinyExperiment.PrunNetJson("""{ "capacities": [1.0, 0.5, 0.25] }""")));
        var shuffled = Resolve(scratch.File("b.json", TinyExperiment.PrunNetJson("""{ "capacities": [0.25, 1, 0.5] }""")));

        Assert.Equal(new[] { 1.0, 0.5, 0.25 }, shuffled.PrunNet!.Capacities);
        Assert.Equal(sorted.ContentHash, shuffled.ContentHash);
        Assert.Equal(sorted.ContentHash, Resolve(scratch.PathOf("a.json"), "old.training.epochs=9").ContentHash);
        Assert.NotEqual(sorted.ContentHash, Resolve(scratch.PathOf("a.json"), "prunnet.gradClipNorm=5").ContentHash);
    }

    [Fact]
    public void RunsWithoutTheSectionKeepTheirResolvedFormAndStillNeedALoss()
    {
        using var scratch = new ScratchFolder();
        var experiment = Resolve(scratch.File("e.json", TinyExperiment.Json()));

        Assert.Null(experiment.PrunNet);
        Assert.False(experiment.Resolved.ContainsKey("prunnet"));
        Assert.Equal("bct", experiment.Method);
        string noLoss = scratch.File("n.json", TinyExperiment.Json().Replace("\"loss\": { \"type\": \"bct\" }, ", string.Empty, StringComparison.Ordinal));
        Assert.Contains("new.loss.type: a value is required here, and none was given", Assert.Throws<ConfigException>(() => Resolve(noLoss)).Message);
    }

    [Theory]
    [InlineData("""{ "capacities": [0.8, 0.4] }""", "prunnet.capacities: expected the list to include 1.0")]
    [InlineData("""{ "capacities": [] }""", "prunnet.capacities: expected the list to include 1.0")]
    [InlineData("""{ "capacities": [1.0, 0] }""", "prunnet.capacities.1: expected a fraction of weights to keep in (0, 1], got 0")]
    [InlineData("""{ "capacities": [1.0, 1.5] }""", "prunnet.capacities.1: expected a fraction of weights to keep in (0, 1], got 1.5")]
    [InlineData("""{ "capacities": [1.0, 0.5, 0.5] }""", "prunnet.capacities: capacity 0.5 is listed 2 times; list each capacity once")]
    [InlineData("""{ "gradClipNorm": -1 }""", "prunnet.gradClipNorm: expected 0 (no clipping) or a positive gradient norm, got -1")]
    [InlineData("""{ "integrator": { "type": "pc-grad" } }""", "prunnet.integrator.type: unknown integrator plugin 'pc-grad' (did you mean 'pcgrad'")]
    [InlineData("""{ "integrator": { "type": "conflict-aware", "options": { "p": -2 } } }""", "prunnet.integrator.options: Option 'p' must be a finite number of at least 0; got -2.")]
    [InlineData("""{ "capacity": [1.0] }""", "prunnet.capacity: unknown key (did you mean 'capacities'?)")]
    public void MistakesNameTheKeyAndTheValue(string prunNet, string expected)
    {
        Assert.Contains(expected, ResolveFails(prunNet));
    }

    [Fact]
    public void ACompatibilityLossBesideThePrunnetSectionIsAnError()
    {
        string message = ResolveFails("{}", "new.loss.type=bct");

        Assert.Contains("--set new.loss.type=bct: new.loss.type: a prunnet run trains one network with no compatibility loss", message);
    }
}
