using CompatLab.Abstractions.Tracking;
using CompatLab.Tests.Support;
using Xunit;

namespace CompatLab.Tests.Tracking;

/// <summary>
/// Artifacts go where the run's artifact URI says: the proxy for mlflow-artifacts:, the folder itself for a local
/// root; a root the client cannot write (s3://) is reported on the run and in the spool, never uploaded elsewhere.
/// </summary>
public class ArtifactRootTests
{
    [Fact]
    public void LocalArtifactRootOfAServerIsWrittenDirectlyNotThroughTheProxy()
    {
        using var scratch = new ScratchFolder();
        using var server = new FakeMlflowServer();
        string root = scratch.PathOf("server-artifacts");
        server.ArtifactUri = (experiment, run) => new Uri(Path.Combine(root, experiment, run, "artifacts")).AbsoluteUri;
        string results = scratch.File("run/results.json", "{\"map\": 0.5}");
        using (var tracker = MlflowPlugin.Create(MlflowPlugin.ServerOptions(server.Address)))
        {
            tracker.StartRun(MlflowPlugin.Run(scratch.PathOf("run")));
            tracker.LogArtifact(results, "results.json");
            tracker.EndRun(RunStatus.Finished);
        }

        var run = server.SingleRun();
        Assert.Equal("{\"map\": 0.5}", File.ReadAllText(Path.Combine(root, run.ExperimentId, run.Id, "artifacts", "results.json")));
        Assert.Empty(run.Artifacts);
        Assert.DoesNotContain(server.Requests, r => r.Contains("mlflow-artifacts", StringComparison.Ordinal));
    }

    [Fact]
    public void RemoteArtifactRootIsReportedOnTheRunAndInTheSpoolNotUploadedToTheProxy()
    {
        using var scratch = new ScratchFolder();
        using var server = new FakeMlflowServer();
        server.ArtifactUri = (experiment, run) => $"s3://bucket/mlflow/{experiment}/{run}/artifacts";
        string results = scratch.File("run/results.json", "{}");
        using (var tracker = MlflowPlugin.Create(MlflowPlugin.ServerOptions(server.Address)))
        {
            tracker.StartRun(MlflowPlugin.Run(scratch.PathOf("run")));
            tracker.LogArtifact(results, "results.json");
            tracker.EndRun(RunStatus.Finished);
        }

        var run = server.SingleRun();
        Assert.Empty(run.Artifacts);
        Assert.Contains("s3://bucket/mlflow/", run.Tags["compatlab.artifacts_not_stored"]);
        Assert.Contains("results.json", run.Tags["compatlab.artifacts_not_stored"]);
        string marks = File.ReadAllText(Directory.GetFiles(scratch.PathOf("run"), "sent.log", SearchOption.AllDirectories).Single());
        Assert.Contains("rejected", marks);
        Assert.Equal("FINISHED", run.Status);
    }

    [Fact]
    public void FileStoreExperimentWithARemoteArtifactLocationTagsTheRunInsteadOfWritingBesideIt()
    {
        using var scratch = new ScratchFolder();
        string store = scratch.PathOf("mlruns");
        var options = new Dictionary<string, object> { ["TrackingUri"] = "file:" + store };
        using (var first = MlflowPlugin.Create(options))
        {
            first.StartRun(MlflowPlugin.Run(scratch.PathOf("first"), "aaaaaaaaaaaa"));
            first.EndRun(RunStatus.Finished);
        }

        // As 'mlflow experiments create --artifact-location s3://...' leaves it.
        string experiment = Directory.GetDirectories(store).Single(d => Path.GetFileName(d) is not "0" && !Path.GetFileName(d).StartsWith('.'));
        string meta = Path.Combine(experiment, "meta.yaml");
        File.WriteAllLines(meta, File.ReadAllLines(meta).Select(l => l.StartsWith("artifact_location:", StringComparison.Ordinal) ? "artifact_location: s3://bucket/exp" : l));

        string results = scratch.File("second/results.json", "{}");
        using (var second = MlflowPlugin.Create(options))
        {
            second.StartRun(MlflowPlugin.Run(scratch.PathOf("second"), "bbbbbbbbbbbb"));
            second.LogArtifact(results, "results.json");
            second.EndRun(RunStatus.Finished);
        }

        string run = Directory.GetDirectories(experiment).Single(r => File.ReadAllText(Path.Combine(r, "tags", "mlflow.runName")) == "run-bbbbbbbbbbbb");
        Assert.Contains("s3://bucket/exp", File.ReadAllText(Path.Combine(run, "tags", "compatlab.artifacts_not_stored")));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(run, "artifacts")));
    }
}
