using CompatLab.Abstractions.Tracking;
using CompatLab.Tests.Support;
using Xunit;

namespace CompatLab.Tests.Tracking;

/// <summary>Nothing lost: a server away mid-run, records in the run's spool, 'tracking sync' sends each once.</summary>
public class ServerOutageTests
{
    [Fact]
    public void ServerThatDiesMidRunHoldsEveryRecordExactlyOnceAfterSync()
    {
        using var scratch = new ScratchFolder();
        using var server = new FakeMlflowServer();
        string runs = scratch.PathOf("runs");
        string folder = Path.Combine(runs, "tiny", "run-abc123def456");
        string results = scratch.File("runs/tiny/run-abc123def456/results.json", "{}");
        using (var tracker = MlflowPlugin.Create(MlflowPlugin.ServerOptions(server.Address)))
        {
            tracker.StartRun(MlflowPlugin.Run(folder));
            tracker.LogParams(new Dictionary<string, string> { ["a"] = "1" });
            tracker.LogMetrics(new[] { new MetricPoint("loss", 3, 1, 10) });

            server.Stop();
            tracker.LogMetrics(new[] { new MetricPoint("loss", 2, 2, 20), new MetricPoint("acc", 0.5, 2, 20) });
            tracker.LogParams(new Dictionary<string, string> { ["b"] = "2" });
            tracker.SetTags(new Dictionary<string, string> { ["late"] = "tag" });
            tracker.LogArtifact(results, "results.json");
            tracker.LogMetrics(new[] { new MetricPoint("loss", 1, 3, 30) });
            tracker.EndRun(RunStatus.Finished);
        }

        Assert.Equal("RUNNING", server.SingleRun().Status);
        Assert.Single(server.SingleRun().Metrics);

        server.Start();
        var output = new StringWriter();
        Assert.Equal(0, MlflowPlugin.Sync(runs, output));

        var run = server.SingleRun();
        Assert.Equal(new[] { ("loss", 3.0, 1L, 10L), ("loss", 2.0, 2L, 20L), ("acc", 0.5, 2L, 20L), ("loss", 1.0, 3L, 30L) }, run.Metrics);
        Assert.Equal(new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" }, run.Params);
        Assert.Equal("tag", run.Tags["late"]);
        Assert.Equal("{}", System.Text.Encoding.UTF8.GetString(run.Artifacts["results.json"]));
        Assert.Equal("FINISHED", run.Status);
        Assert.Contains("0 still waiting", output.ToString());

        int requests = server.Requests.Count;
        Assert.Equal(0, MlflowPlugin.Sync(runs, new StringWriter()));
        Assert.Equal(requests, server.Requests.Count);
    }

    [Fact]
    public void RunThatNeverReachedTheServerIsCreatedBySyncAndATornLineIsSkipped()
    {
        using var scratch = new ScratchFolder();
        int port = FakeMlflowServer.FreePort();
        string runs = scratch.PathOf("runs");
        string folder = Path.Combine(runs, "tiny", "run-abc123def456");
        using (var tracker = MlflowPlugin.Create(MlflowPlugin.ServerOptions(new Uri($"http://127.0.0.1:{port}/"))))
        {
            tracker.StartRun(MlflowPlugin.Run(folder));
            tracker.LogParams(new Dictionary<string, string> { ["a"] = "1" });
            tracker.LogMetrics(new[] { new MetricPoint("loss", 3, 1, 10) });
            tracker.EndRun(RunStatus.Failed);
        }

        // A crash in the middle of a write leaves half a line at the end of the spool.
        string spool = Directory.GetFiles(folder, "spool.jsonl", SearchOption.AllDirectories).Single();
        File.AppendAllText(spool, "{\"seq\":99,\"type\":\"metr");

        using var server = new FakeMlflowServer(port);
        Assert.Equal(0, MlflowPlugin.Sync(runs, new StringWriter()));

        var run = server.SingleRun();
        Assert.Equal("tiny", server.ExperimentName(run.ExperimentId));
        Assert.Equal("run-abc123def456", run.Name);
        Assert.Equal("1", run.Params["a"]);
        Assert.Equal(new[] { ("loss", 3.0, 1L, 10L) }, run.Metrics);
        Assert.Equal("FAILED", run.Status);
    }

    [Fact]
    public void SyncLeavesASpoolAloneWhileItsRunIsTracking()
    {
        using var scratch = new ScratchFolder();
        int port = FakeMlflowServer.FreePort();
        string runs = scratch.PathOf("runs");
        using var tracker = MlflowPlugin.Create(MlflowPlugin.ServerOptions(new Uri($"http://127.0.0.1:{port}/")));
        tracker.StartRun(MlflowPlugin.Run(Path.Combine(runs, "tiny", "run-abc123def456")));
        tracker.LogMetrics(new[] { new MetricPoint("loss", 3, 1, 10) });

        using var server = new FakeMlflowServer(port);
        var output = new StringWriter();
        Assert.NotEqual(0, MlflowPlugin.Sync(runs, output));

        Assert.Contains("a running process is tracking it", output.ToString());
        Assert.Empty(server.Requests);
    }
}
