using System.Text.Json.Nodes;
using CompatLab.Abstractions;
using CompatLab.Engine.Runs;
using CompatLab.Tests.Support;
using Xunit;

namespace CompatLab.Tests.Runs;

public class FinishedRunTests
{
    [Fact]
    public void TheSavedConfigurationResolvesAgainWithUnsetOptionsBackAtTheirDefaults()
    {
        using var scratch = new ScratchFolder();
        string folder = FinishedFolder(scratch, """
            {
              "name": "saved", "seed": 2,
              "data": { "dataset": { "type": "synthetic", "options": {} } },
              "model": { "backbone": { "type": "resnet-mini", "options": { "widths": null, "blocksPerStage": 1 } } },
              "new": { "loss": { "type": "bct", "options": {} } },
              "tracking": { "trackers": [ { "type": "mlflow", "options": { "token": "***" } } ] }
            }
            """);
        using var catalog = BuiltInPlugins.Load();

        var run = FinishedRun.Open(folder);
        var experiment = run.Resolve(catalog);

        Assert.False(run.Config["model"]!["backbone"]!["options"]!.AsObject().ContainsKey("widths"));
        Assert.Empty(experiment.Trackers);
        Assert.Equal("resnet-mini", experiment.Backbone.Descriptor.Name);
        Assert.Equal(2, experiment.Spec.Seed);
    }

    [Theory]
    [InlineData("running", "the run has not finished (state: running)")]
    [InlineData(null, "not a run folder (no state.json)")]
    public void OnlyAFinishedRunOpens(string? status, string expected)
    {
        using var scratch = new ScratchFolder();
        string folder = FinishedFolder(scratch, "{}");
        File.Delete(Path.Combine(folder, "state.json"));
        if (status is not null)
        {
            File.WriteAllText(Path.Combine(folder, "state.json"), new JsonObject { ["status"] = status, ["contentHash"] = "x", ["oldModelKey"] = "y", ["updatedAt"] = "2026-01-01T00:00:00Z" }.ToJsonString());
        }

        var error = Assert.Throws<CompatLabUserException>(() => FinishedRun.Open(folder));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void AFinishedRunWithoutItsModelIsRefused()
    {
        using var scratch = new ScratchFolder();
        string folder = FinishedFolder(scratch, "{}");
        File.Delete(Path.Combine(folder, FinishedRun.NewModelFile));

        var error = Assert.Throws<CompatLabUserException>(() => FinishedRun.Open(folder));
        Assert.Contains("has no new-model.bin", error.Message);
    }

    private static string FinishedFolder(ScratchFolder scratch, string config)
    {
        scratch.File("run/config.json", config);
        scratch.File("run/new-model.bin", string.Empty);
        scratch.File("run/state.json", """{ "status": "finished", "contentHash": "x", "oldModelKey": "y", "updatedAt": "2026-01-01T00:00:00Z" }""");
        return scratch.PathOf("run");
    }
}
