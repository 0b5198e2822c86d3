using CompatLab.Abstractions.Tracking;
using CompatLab.Tests.Support;
using Xunit;

namespace CompatLab.Tests.Tracking;

/// <summary>The tracker against a fake MLflow server that enforces the REST API's rules.</summary>
public class MlflowServerContractTests
{
    [Fact]
    public void RunGoesThroughTheRestApiEndToEnd()
    {
        using var scratch = new ScratchFolder();
        using var server = new FakeMlflowServer();
        string results = scratch.File("run/results.json", "{\"map\": 0.5}");

        using (var tracker = MlflowPlugin.Create(MlflowPlugin.ServerOptions(server.Address)))
        {
            tracker.StartRun(MlflowPlugin.Run(scratch.PathOf("run")));
            tracker.LogParams(new Dictionary<string, string> { ["new.loss.type"] = "bct", ["seed"] = "3" });
            tracker.LogMetrics(new[] { new MetricPoint("new.loss", 2.5, 1, 1000), new MetricPoint("new.loss", 1.25, 2, 2000) });
            tracker.LogMetrics(new[] { new MetricPoint("eval.map", double.NaN, 0, 3000) });
            tracker.SetTags(new Dictionary<string, string> { ["compatlab.git_commit"] = "abc" });
            tracker.LogArtifact(results, "results.json");
            tracker.EndRun(RunStatus.Finished);
        }

        var run = server.SingleRun();
        Assert.Equal("tiny", server.ExperimentName(run.ExperimentId));
        Assert.Equal("run-abc123def456", run.Name);
        Assert.Equal("FINISHED", run.Status);
        Assert.NotNull(run.EndTime);
        Assert.Equal(new Dictionary<string, string> { ["new.loss.type"] = "bct", ["seed"] = "3" }, run.Params);
        Assert.Equal(new[] { ("new.loss", 2.5, 1L, 1000L), ("new.loss", 1.25, 2L, 2000L) }, run.Metrics.Where(m => m.Key == "new.loss"));
        Assert.True(double.IsNaN(run.Metrics.Single(m => m.Key == "eval.map").Value));
        Assert.Equal("abc", run.Tags["compatlab.git_commit"]);
        Assert.Equal("abc123def456", run.Tags["compatlab.content_hash"]);
        Assert.Equal("{\"map\": 0.5}", System.Text.Encoding.UTF8.GetString(run.Artifacts["results.json"]));
        Assert.Contains("GET /api/2.0/mlflow/experiments/get-by-name", server.Requests);
        Assert.Contains("POST /api/2.0/mlflow/experiments/create", server.Requests);
    }

    [Fact]
    public void LargeCallsAreSplitWithinTheServersBatchLimits()
    {
        using var scratch = new ScratchFolder();
        using var server = new FakeMlflowServer();
        var points = Enumerable.Range(0, 2500).Select(i => new MetricPoint($"m{i % 7}", i * 0.5, i, 1000 + i)).ToList();
        var parameters = Enumerable.Range(0, 250).ToDictionary(i => $"p{i:000}", i => new string('v', 5000));
        var tags = Enumerable.Range(0, 150).ToDictionary(i => $"t{i:000}", i => $"tag {i}");

        using (var tracker = MlflowPlugin.Create(MlflowPlugin.ServerOptions(server.Address)))
        {
            tracker.StartRun(MlflowPlugin.Run(scratch.PathOf("run")));
            tracker.LogParams(parameters);
            tracker.LogMetrics(points);
            tracker.SetTags(tags);
            tracker.EndRun(RunStatus.Finished);
        }

        // The server refuses any request over a limit, so everything arriving means every request kept to them.
        var run = server.SingleRun();
        Assert.Equal(parameters, run.Params);
        Assert.Equal(points.Select(p => (p.Key, p.Value, p.Step, p.TimestampMs)).OrderBy(m => m.Step), run.Metrics.OrderBy(m => m.Step));
        Assert.All(tags, t => Assert.Equal(t.Value, run.Tags[t.Key]));
        Assert.All(server.MetricsPerBatch, n => Assert.InRange(n, 0, 1000));
        Assert.Equal("FINISHED", run.Status);
    }

    [Fact]
    public void TransientServerErrorsAreRetriedWithoutDuplicates()
    {
        using var scratch = new ScratchFolder();
        using var server = new FakeMlflowServer();
        using (var tracker = MlflowPlugin.Create(MlflowPlugin.ServerOptions(server.Address)))
        {
            tracker.StartRun(MlflowPlugin.Run(scratch.PathOf("run")));
            server.FailNext = 2;
            tracker.LogMetrics(new[] { new MetricPoint("loss", 1, 1, 10) });
            server.FailNext = 1;
            tracker.LogParams(new Dictionary<string, string> { ["a"] = "1" });
            tracker.EndRun(RunStatus.Finished);
        }

        var run = server.SingleRun();
        Assert.Equal(new[] { ("loss", 1.0, 1L, 10L) }, run.Metrics);
        Assert.Equal("1", run.Params["a"]);
        Assert.Equal("FINISHED", run.Status);
        // Metrics: 503, 503, accepted; params: 503, accepted.
        Assert.Equal(5, server.Requests.Count(r => r == "POST /api/2.0/mlflow/runs/log-batch"));
    }

    [Fact]
    public void ResumeReattachesAndNeverChangesAParam()
    {
        using var scratch = new ScratchFolder();
        using var server = new FakeMlflowServer();
        string folder = scratch.PathOf("run");
        using (var first = MlflowPlugin.Create(MlflowPlugin.ServerOptions(server.Address)))
        {
            first.StartRun(MlflowPlugin.Run(folder));
            first.LogParams(new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" });
            first.LogMetrics(new[] { new MetricPoint("loss", 3, 1, 10) });
            first.EndRun(RunStatus.Killed);
        }

        Assert.Equal("KILLED", server.SingleRun().Status);

        using (var resumed = MlflowPlugin.Create(MlflowPlugin.ServerOptions(server.Address)))
        {
            resumed.StartRun(MlflowPlugin.Run(folder));
            Assert.Equal("RUNNING", server.SingleRun().Status);

            // "a" is the same (fine), "b" differs (refused by MLflow, kept as it was), "c" is new.
            resumed.LogParams(new Dictionary<string, string> { ["a"] = "1", ["b"] = "changed", ["c"] = "3" });
            resumed.LogMetrics(new[] { new MetricPoint("loss", 2, 2, 20) });
            resumed.EndRun(RunStatus.Finished);
        }

        var run = server.SingleRun();
        Assert.Equal(new Dictionary<string, string> { ["a"] = "1", ["b"] = "2", ["c"] = "3" }, run.Params);
        Assert.Equal(new[] { ("loss", 3.0, 1L, 10L), ("loss", 2.0, 2L, 20L) }, run.Metrics);
        Assert.Equal("FINISHED", run.Status);
    }

    [Fact]
    public void AnExistingExperimentIsReused()
    {
        using var scratch = new ScratchFolder();
        using var server = new FakeMlflowServer();
        foreach (string key in new[] { "aaaaaaaaaaaa", "bbbbbbbbbbbb" })
        {
            using var tracker = MlflowPlugin.Create(MlflowPlugin.ServerOptions(server.Address));
            tracker.StartRun(MlflowPlugin.Run(scratch.PathOf(key), key));
            tracker.EndRun(RunStatus.Finished);
        }

        Assert.Equal(2, server.Runs().Count);
        Assert.Single(server.Runs().Select(r => r.ExperimentId).Distinct());
        Assert.Equal(1, server.Requests.Count(r => r == "POST /api/2.0/mlflow/experiments/create"));
    }

    [Fact]
    public void ARunDeletedOnTheServerIsMadeAgainWithAllItsRecords()
    {
        using var scratch = new ScratchFolder();
        string folder = scratch.PathOf("run");
        int port;
        using (var first = new FakeMlflowServer())
        {
            port = first.Port;
            using var tracker = MlflowPlugin.Create(MlflowPlugin.ServerOptions(first.Address));
            tracker.StartRun(MlflowPlugin.Run(folder));
            tracker.LogParams(new Dictionary<string, string> { ["a"] = "1" });
            tracker.LogMetrics(new[] { new MetricPoint("loss", 3, 1, 10) });
            tracker.EndRun(RunStatus.Killed);
        }

        // A new, empty server at the same address: the run it had is gone (RESOURCE_DOES_NOT_EXIST).
        using var second = new FakeMlflowServer(port);
        using (var resumed = MlflowPlugin.Create(MlflowPlugin.ServerOptions(second.Address)))
        {
            resumed.StartRun(MlflowPlugin.Run(folder));
            resumed.LogMetrics(new[] { new MetricPoint("loss", 2, 2, 20) });
            resumed.EndRun(RunStatus.Finished);
        }

        var run = second.SingleRun();
        Assert.Equal("1", run.Params["a"]);
        Assert.Equal(new[] { ("loss", 3.0, 1L, 10L), ("loss", 2.0, 2L, 20L) }, run.Metrics);
        Assert.Equal("FINISHED", run.Status);
    }
}
