using CompatLab.Abstractions.Tracking;
using CompatLab.Tests.Support;
using Xunit;

namespace CompatLab.Tests.Tracking;

/// <summary>
/// Complete MLflow records, on a server (REST) and in the file store: data set inputs, the model as an MLflow model
/// folder, the matrix parent link, and the final retry before records are left to 'tracking sync'.
/// </summary>
public class MlflowRecordsTests
{
    private static readonly DatasetInput[] Inputs =
    [
        new("synthetic.train", "0123456789abcdef", "compatlab", "{\"type\":\"synthetic\"}", "train"),
        new("synthetic.test", "fedcba9876543210", "compatlab", "{\"type\":\"synthetic\"}", "test"),
    ];

    [Fact]
    public void ServerGetsInputsModelFolderAndParentLink()
    {
        using var scratch = new ScratchFolder();
        using var server = new FakeMlflowServer();
        string parentFolder = scratch.PathOf("runs/tiny/.matrix-run/key");
        using (var parent = MlflowPlugin.Create(MlflowPlugin.ServerOptions(server.Address)))
        {
            parent.StartRun(MlflowPlugin.Run(parentFolder, "matrix-key"));
            string child = scratch.PathOf("runs/tiny/cell-abc123def456");
            scratch.File("runs/tiny/cell-abc123def456/new-model.bin", "weights");
            scratch.File("runs/tiny/cell-abc123def456/config.json", "{}");
            using (var tracker = MlflowPlugin.Create(MlflowPlugin.ServerOptions(server.Address)))
            {
                tracker.StartRun(ChildRun(child, parentFolder) with { Inputs = Inputs });
                tracker.EndRun(RunStatus.Finished);
            }

            parent.EndRun(RunStatus.Finished);
        }

        var parentRun = server.Runs().Single(r => r.Name == "run-matrix-key");
        var run = server.Runs().Single(r => r.Name == "run-abc123def456");
        Assert.Equal(parentRun.Id, run.Tags["mlflow.parentRunId"]);
        Assert.Equal(
            new[] { ("synthetic.train", "0123456789abcdef", "compatlab", "{\"type\":\"synthetic\"}", "train"), ("synthetic.test", "fedcba9876543210", "compatlab", "{\"type\":\"synthetic\"}", "test") },
            run.Inputs);
        Assert.Equal("weights", System.Text.Encoding.UTF8.GetString(run.Artifacts["model/data/model.bin"]));
        string mlmodel = System.Text.Encoding.UTF8.GetString(run.Artifacts["model/MLmodel"]);
        Assert.Contains("artifact_path: model\nflavors:\n  compatlab:\n", mlmodel);
        Assert.Contains($"run_id: \"{run.Id}\"", mlmodel);
        Assert.Contains("\"artifact_path\":\"model\"", run.Tags["mlflow.log-model.history"]);
    }

    [Fact]
    public void FileStoreGetsInputsModelFolderAndParentLinkInMlflowsLayout()
    {
        using var scratch = new ScratchFolder();
        string store = scratch.PathOf("mlruns");
        var options = new Dictionary<string, object> { ["TrackingUri"] = "file:" + store };
        string parentFolder = scratch.PathOf("runs/tiny/.matrix-run/key");
        string child = scratch.PathOf("runs/tiny/cell-abc123def456");
        scratch.File("runs/tiny/cell-abc123def456/new-model.bin", "weights");
        using (var parent = MlflowPlugin.Create(options))
        {
            parent.StartRun(MlflowPlugin.Run(parentFolder, "matrix-key"));
            using (var tracker = MlflowPlugin.Create(options))
            {
                tracker.StartRun(ChildRun(child, parentFolder) with { Inputs = Inputs });
                tracker.EndRun(RunStatus.Finished);
            }

            parent.EndRun(RunStatus.Finished);
        }

        string experiment = Directory.GetDirectories(store).Single(d => Path.GetFileName(d) is not "0" && !Path.GetFileName(d).StartsWith('.'));
        var runs = Directory.GetDirectories(experiment).Where(d => Path.GetFileName(d) != "datasets").ToList();
        string parentRun = runs.Single(r => File.ReadAllText(Path.Combine(r, "tags", "mlflow.runName")) == "run-matrix-key");
        string run = runs.Single(r => r != parentRun);
        Assert.Equal(Path.GetFileName(parentRun), File.ReadAllText(Path.Combine(run, "tags", "mlflow.parentRunId")));

        // MLflow's own ids: a data set is md5(name + digest), the run's input md5(data set id + run id).
        string trainId = Md5("synthetic.train0123456789abcdef");
        Assert.Equal(
            "digest: '0123456789abcdef'\nname: synthetic.train\nprofile: null\nschema: null\nsource: '{\"type\":\"synthetic\"}'\nsource_type: compatlab\n",
            File.ReadAllText(Path.Combine(experiment, "datasets", trainId, "meta.yaml")));
        string runId = Path.GetFileName(run);
        Assert.Equal(
            $"destination_id: '{runId}'\ndestination_type: RUN\nsource_id: '{trainId}'\nsource_type: DATASET\ntags:\n  mlflow.data.context: train\n",
            File.ReadAllText(Path.Combine(run, "inputs", Md5(trainId + runId), "meta.yaml")));
        Assert.Equal(2, Directory.GetDirectories(Path.Combine(run, "inputs")).Length);

        Assert.Equal("weights", File.ReadAllText(Path.Combine(run, "artifacts", "model", "data", "model.bin")));
        Assert.Contains("format: \"torchsharp-state-dict\"", File.ReadAllText(Path.Combine(run, "artifacts", "model", "MLmodel")));
        Assert.Contains(runId, File.ReadAllText(Path.Combine(run, "tags", "mlflow.log-model.history")));
        Assert.False(Directory.Exists(Path.Combine(parentRun, "artifacts", "model")));
    }

    [Fact]
    public void FailedRunLogsNoModel()
    {
        using var scratch = new ScratchFolder();
        using var server = new FakeMlflowServer();
        scratch.File("run/new-model.bin", "weights of a failed run");
        using (var tracker = MlflowPlugin.Create(MlflowPlugin.ServerOptions(server.Address)))
        {
            tracker.StartRun(MlflowPlugin.Run(scratch.PathOf("run")));
            tracker.EndRun(RunStatus.Failed);
        }

        Assert.Empty(server.SingleRun().Artifacts);
        Assert.False(server.SingleRun().Tags.ContainsKey("mlflow.log-model.history"));
    }

    [Fact]
    public void EndOfRunTriesAnAwayServerOnceMoreAfterABackoffBeforeLeavingRecordsPending()
    {
        using var scratch = new ScratchFolder();
        using var server = new FakeMlflowServer();
        var options = MlflowPlugin.ServerOptions(server.Address);
        options["ReconnectAfterSeconds"] = 600.0; // once away, the server is not tried again during the run
        using (var tracker = MlflowPlugin.Create(options))
        {
            tracker.StartRun(MlflowPlugin.Run(scratch.PathOf("run")));
            server.FailNext = 3; // every try of one request (MaxRetries 2)
            tracker.LogMetrics(new[] { new MetricPoint("loss", 1, 1, 10) });
            tracker.LogMetrics(new[] { new MetricPoint("loss", 0.5, 2, 20) });
            Assert.Equal("RUNNING", server.SingleRun().Status);
            Assert.Empty(server.SingleRun().Metrics);

            server.FailNext = 3; // the first try at the end fails too; the one after the backoff gets through
            tracker.EndRun(RunStatus.Finished);
        }

        var run = server.SingleRun();
        Assert.Equal("FINISHED", run.Status);
        Assert.Equal(new[] { ("loss", 1.0, 1L, 10L), ("loss", 0.5, 2L, 20L) }, run.Metrics);
    }

    [Fact]
    public void ResumedRunReplayingStepsSinceItsCheckpointLogsEachStepOnce()
    {
        using var scratch = new ScratchFolder();
        using var server = new FakeMlflowServer();
        string store = scratch.PathOf("mlruns");
        foreach (var options in new[] { MlflowPlugin.ServerOptions(server.Address), new Dictionary<string, object> { ["TrackingUri"] = "file:" + store } })
        {
            string folder = scratch.PathOf($"run-{options.Count}");
            using (var first = MlflowPlugin.Create(options))
            {
                first.StartRun(MlflowPlugin.Run(folder));
                first.LogMetrics(new[] { new MetricPoint("loss", 3, 1, 10), new MetricPoint("loss", 2, 2, 20), new MetricPoint("loss", 1.5, 3, 30) });
            }

            // Killed after step 3; the checkpoint was at step 1, so steps 2 and 3 are trained and logged again.
            using var resumed = MlflowPlugin.Create(options);
            resumed.StartRun(MlflowPlugin.Run(folder));
            resumed.LogMetrics(new[] { new MetricPoint("loss", 2, 2, 40), new MetricPoint("loss", 1.5, 3, 50), new MetricPoint("loss", 1, 4, 60) });
            resumed.EndRun(RunStatus.Finished);
        }

        Assert.Equal(new[] { ("loss", 3.0, 1L, 10L), ("loss", 2.0, 2L, 20L), ("loss", 1.5, 3L, 30L), ("loss", 1.0, 4L, 60L) }, server.SingleRun().Metrics);
        string metricFile = Directory.GetFiles(store, "loss", SearchOption.AllDirectories).Single();
        Assert.Equal(new[] { "10 3.0 1", "20 2.0 2", "30 1.5 3", "60 1.0 4" }, File.ReadAllLines(metricFile));
    }

    private static TrackedRun ChildRun(string folder, string parentFolder) =>
        new("tiny", "run-abc123def456", "abc123def456", folder, new Dictionary<string, string>
        {
            ["compatlab.content_hash"] = "abc123def456",
            ["compatlab.parent_run_folder"] = parentFolder,
        });

    private static string Md5(string text) =>
        Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
}
