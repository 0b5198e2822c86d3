using CompatLab.Engine.Configuration;
using CompatLab.Engine.Runs;
using CompatLab.Tests.Support;
using Xunit;

namespace CompatLab.Tests.Protocols;

/// <summary>extended-backbone: the old model learns some classes on model.backbone, the new model all of them on new.backbone.</summary>
public sealed class ExtendedBackboneTests : IDisposable
{
    private const string Wider = """{ "type": "cnn4", "options": { "widths": [8, 8, 8, 8] } }""";

    private readonly ScratchFolder scratch = new();

    public void Dispose() => scratch.Dispose();

    [Fact]
    public void ItRequiresANewBackbone()
    {
        var error = Assert.Throws<ConfigException>(() => Open(newBackbone: null));

        Assert.Contains("data.split.type: extended-backbone trains the new model on another backbone: set new.backbone", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ItRefusesANewBackboneEqualToTheOldOne()
    {
        var error = Assert.Throws<ConfigException>(() => Open("""{ "type": "cnn4", "options": { "widths": [4, 4, 8, 8] } }"""));

        Assert.Contains("new.backbone: data.split.type extended-backbone needs a new.backbone that differs from model.backbone; both are \"cnn4\" with the same options", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheNewModelTrainsOnItsOwnBackboneAndIsComparedWithTheOldOne()
    {
        using var run = Open(Wider);

        var result = run.Run();

        Assert.Equal("extended-backbone", run.Experiment.Protocol.Descriptor.Name);
        Assert.NotEqual(run.Experiment.Backbone.Options, run.Experiment.NewBackbone.Options);
        Assert.NotNull(result.OldSelf);
        Assert.NotNull(result.Cross);
        Assert.InRange(result.Cross!.Map, 0, 1);
        Assert.Equal(RunState.Finished, ExperimentRunner.ReadState(run.Experiment.RunFolder)!.Status);
    }

    private InProcessRun Open(string? newBackbone)
    {
        string output = Path.Combine(scratch.Root, "runs").Replace("\\", "/", StringComparison.Ordinal);
        string json = TinyExperiment.Json(extra: """, "tracking": { "trackers": [] }""")
            .Replace("\"type\": \"extended-class\"", "\"type\": \"extended-backbone\"", StringComparison.Ordinal)
            .Replace("\"output\": \"runs\"", $"\"output\": \"{output}\"", StringComparison.Ordinal);
        if (newBackbone is not null)
        {
            json = json.Replace("\"new\": { \"loss\"", $"\"new\": {{ \"backbone\": {newBackbone}, \"loss\"", StringComparison.Ordinal);
        }

        return InProcessRun.Open(scratch.File("e.json", json));
    }
}
