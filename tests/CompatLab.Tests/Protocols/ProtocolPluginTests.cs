using CompatLab.Abstractions.Plugins;
using CompatLab.Engine.Configuration;
using CompatLab.Engine.Plugins;
using CompatLab.Engine.Runs;
using CompatLab.Tests.Support;
using Xunit;

namespace CompatLab.Tests.Protocols;

/// <summary>data.split.type names a protocol plugin; the engine runs whichever it names through a run session.</summary>
public sealed class ProtocolPluginTests
{
    [Fact]
    public void TheBuiltInProtocolsAreProtocolPlugins()
    {
        using var catalog = BuiltInPlugins.Load();

        var names = catalog.OfKind(PluginKind.Protocol).Select(p => p.Name).Order(StringComparer.Ordinal);

        Assert.Equal(new[] { "extended-backbone", "extended-class", "extended-data", "open-set", "prunnet", "sequence" }, names);
        Assert.All(catalog.OfKind(PluginKind.Protocol), p => Assert.Equal("protocol", p.KindName));
    }

    [Fact]
    public void AProtocolPluginFromOutsideIsPickedAndRunThroughTheSession()
    {
        using var scratch = new ScratchFolder();
        string file = scratch.File("e.json", FakeProtocolPlugin.Experiment(scratch.Root, FakeProtocolPlugin.Name));
        using var run = InProcessRun.Open(file);

        var result = run.Run();

        Assert.Equal(FakeProtocolPlugin.Name, run.Experiment.Protocol.Descriptor.Name);
        Assert.Equal(0.25, result.NewSelf.Map);
        Assert.Equal(0.75, result.Cross!.RecallAt1);
        Assert.Equal(RunState.Finished, ExperimentRunner.ReadState(run.Experiment.RunFolder)!.Status);
        Assert.True(File.Exists(Path.Combine(run.Experiment.RunFolder, "results.md")));
        string metrics = string.Join("\n", Directory.GetFiles(run.Experiment.RunFolder, "*.jsonl", SearchOption.AllDirectories).Select(File.ReadAllText));
        Assert.Contains("fake.classes", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public void AProtocolThatThrowsIsNamedButAnEngineErrorUnderItIsNot()
    {
        using var scratch = new ScratchFolder();
        string file = scratch.File("e.json", FakeProtocolPlugin.Experiment(scratch.Root, FakeProtocolPlugin.Name, seed: 7));
        using var run = InProcessRun.Open(file);

        var error = Assert.Throws<Abstractions.CompatLabUserException>(() => run.Run());

        Assert.StartsWith($"protocol plugin '{FakeProtocolPlugin.Name}' failed in Run: the fake protocol broke", error.Message, StringComparison.Ordinal);
        Assert.Equal(RunState.Failed, ExperimentRunner.ReadState(run.Experiment.RunFolder)!.Status);
    }

    [Fact]
    public void AProtocolsOwnCheckIsReportedWithTheOtherProblems()
    {
        using var scratch = new ScratchFolder();
        string file = scratch.File("e.json", FakeProtocolPlugin.Experiment(scratch.Root, FakeProtocolPlugin.Name, seed: 99));

        var error = Assert.Throws<ConfigException>(() => InProcessRun.Open(file, "model.embeddingDim=0"));

        Assert.Contains($"{file}: seed: the fake protocol refuses seed 99", error.Message, StringComparison.Ordinal);
        Assert.Contains("model.embeddingDim", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownProtocolIsRefusedWithSuggestions()
    {
        using var scratch = new ScratchFolder();
        string file = scratch.File("e.json", TinyExperiment.Json().Replace("\"type\": \"extended-class\"", "\"type\": \"extended-clas\"", StringComparison.Ordinal));

        var error = Assert.Throws<ConfigException>(() => InProcessRun.Open(file));

        Assert.Contains($"{file}: data.split.type: unknown protocol plugin 'extended-clas' (did you mean 'extended-class' or 'extended-data'?)", error.Message, StringComparison.Ordinal);
        Assert.Contains("available: extended-backbone, extended-class, extended-data, open-set, prunnet, sequence", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AProtocolThatOnlyImplementsTheMarkerIsRefusedNamingTheEngineInterface()
    {
        using var scratch = new ScratchFolder();
        string file = scratch.File("e.json", FakeProtocolPlugin.Experiment(scratch.Root, FakeProtocolPlugin.HalfName));

        var error = Assert.Throws<ConfigException>(() => InProcessRun.Open(file));

        Assert.Contains($"protocol plugin '{FakeProtocolPlugin.HalfName}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(typeof(IProtocol).FullName!, error.Message, StringComparison.Ordinal);
    }
}
