using System.Text.Json.Nodes;
using CompatLab.Abstractions.Tracking;
using CompatLab.Engine.Tracking;
using CompatLab.Tests.Support;
using Xunit;

namespace CompatLab.Tests.Runs;

public class RunFolderTrackerTests
{
    [Fact]
    public void RecordsParamsTagsAndMetricLinesThatSurviveAReopen()
    {
        using var scratch = new ScratchFolder();
        var run = new TrackedRun("e", "r", "abc", scratch.Root, new Dictionary<string, string> { ["t"] = "1" });
        using (var tracker = new RunFolderTracker())
        {
            tracker.StartRun(run);
            tracker.LogParams(new Dictionary<string, string> { ["seed"] = "3" });
            tracker.LogMetrics(new[] { new MetricPoint("loss", 0.5, 10, 1000), new MetricPoint("nan", double.NaN, 10, 1000) });
        }

        using (var resumed = new RunFolderTracker())
        {
            resumed.StartRun(run);
            resumed.LogMetrics(new[] { new MetricPoint("loss", 0.25, 20, 2000) });
        }

        var lines = File.ReadAllLines(scratch.PathOf("metrics.jsonl")).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(3, lines.Count);
        Assert.Equal(0.25, (double)lines[2]["value"]!);
        Assert.Equal(20, (long)lines[2]["step"]!);
        Assert.Equal("3", (string)JsonNode.Parse(File.ReadAllText(scratch.PathOf("params.json")))!["seed"]!);
        Assert.Equal("1", (string)JsonNode.Parse(File.ReadAllText(scratch.PathOf("tags.json")))!["t"]!);
    }

    [Fact]
    public void FailingPluginTrackerIsSkippedAndTheRunFolderStillRecords()
    {
        using var scratch = new ScratchFolder();
        var broken = new Moq.Mock<IExperimentTracker>();
        broken.Setup(t => t.LogMetrics(Moq.It.IsAny<IReadOnlyList<MetricPoint>>())).Throws(new IOException("server gone"));
        var warnings = new List<string>();
        using var fanOut = new TrackerFanOut(new IExperimentTracker[] { new RunFolderTracker(), broken.Object }, warnings.Add);

        fanOut.StartRun(new TrackedRun("e", "r", "k", scratch.Root, new Dictionary<string, string>()));
        fanOut.LogMetrics(new[] { new MetricPoint("a", 1, 1, 1) });
        fanOut.LogMetrics(new[] { new MetricPoint("a", 2, 2, 2) });

        Assert.Equal(2, File.ReadAllLines(scratch.PathOf("metrics.jsonl")).Length);
        Assert.Single(warnings);
        broken.Verify(t => t.LogMetrics(Moq.It.IsAny<IReadOnlyList<MetricPoint>>()), Moq.Times.Once);
    }
}
