using CompatLab.Engine.Configuration;
using CompatLab.Engine.Runs;
using CompatLab.Tests.Support;
using Xunit;

namespace CompatLab.Tests.Tracking;

/// <summary>mlflow is the tracker a run gets unless the file says otherwise; tracking never changes a run's identity.</summary>
public class DefaultTrackerTests
{
    private static ResolvedExperiment Resolve(string file)
    {
        var document = ExperimentDocument.Load(file);
        using var catalog = BuiltInPlugins.Load();
        return new ExperimentResolver(catalog).Resolve(document.CloneContent(), document.Provenance, Array.Empty<string>(), new Dictionary<string, string>(), "run");
    }

    [Fact]
    public void MlflowIsTheDefaultTrackerWithItsDefaultOptions()
    {
        using var scratch = new ScratchFolder();

        var experiment = Resolve(scratch.File("e.json", TinyExperiment.Json()));

        Assert.Equal("mlflow", Assert.Single(experiment.Trackers).Descriptor.Name);
        var options = experiment.Resolved["tracking"]!["trackers"]![0]!["options"]!;
        Assert.Equal("mlruns", (string)options["fileStore"]!);
        Assert.Equal(string.Empty, (string)options["trackingUri"]!);
    }

    [Fact]
    public void AnEmptyListTurnsTrackingOffWithoutChangingTheRunsHash()
    {
        using var scratch = new ScratchFolder();

        var tracked = Resolve(scratch.File("a.json", TinyExperiment.Json()));
        var untracked = Resolve(scratch.File("b.json", TinyExperiment.Json(extra: """, "tracking": { "trackers": [] }""")));

        Assert.Empty(untracked.Trackers);
        Assert.Equal(tracked.ContentHash, untracked.ContentHash);
    }
}
