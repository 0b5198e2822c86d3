using CompatLab.Abstractions.Tracking;
using CompatLab.Tests.Support;
using Xunit;

namespace CompatLab.Tests.Tracking;

/// <summary>Golden files: the embedded store is written exactly in MLflow's file-store layout.</summary>
public class FileStoreLayoutTests
{
    private static readonly string[] RunEntries = { "artifacts", "meta.yaml", "metrics", "params", "tags" };

    [Fact]
    public void RunIsWrittenExactlyInMlflowsFileStoreLayout()
    {
        using var scratch = new ScratchFolder();
        string store = scratch.PathOf("mlruns");
        string results = scratch.File("run/results.json", "{\"map\": 0.5}\n");
        string plot = scratch.File("run/summary.png", "PNG bytes");
        long before = Now();
        using (var tracker = MlflowPlugin.Create(new Dictionary<string, object> { ["TrackingUri"] = "file:" + store }))
        {
            tracker.StartRun(MlflowPlugin.Run(scratch.PathOf("run"), "abc123def456", "golden"));
            tracker.LogParams(new Dictionary<string, string> { ["new.loss.type"] = "bct", ["model.embeddingDim"] = "8", ["note"] = "it's \"quoted\"\nand two lines" });
            tracker.LogMetrics(new[] { new MetricPoint("new.loss", 2.5, 1, 1000), new MetricPoint("new.loss", 1.0, 2, 2000), new MetricPoint("eval/map", 0.1, 0, 3000) });
            tracker.LogMetrics(new[] { new MetricPoint("lr", 1e-05, 3, 4000), new MetricPoint("lr", double.NaN, 4, 5000) });
            tracker.SetTags(new Dictionary<string, string> { ["compatlab.git_commit"] = "0123abc" });
            tracker.LogArtifact(results, "results.json");
            tracker.LogArtifact(plot, "plots/summary.png");
            tracker.EndRun(RunStatus.Finished);
        }

        long after = Now();
        string storeUri = new Uri(store).AbsoluteUri;
        string defaultMeta = File.ReadAllText(Path.Combine(store, "0", "meta.yaml"));
        long defaultCreated = Time(defaultMeta, "creation_time", before, after);
        Assert.Equal(
            $"artifact_location: {storeUri}/0\ncreation_time: {defaultCreated}\nexperiment_id: '0'\nlast_update_time: {defaultCreated}\nlifecycle_stage: active\nname: Default\n",
            defaultMeta);

        string experimentFolder = Directory.GetDirectories(store).Single(d => Path.GetFileName(d) is not "0" && !Path.GetFileName(d).StartsWith('.'));
        string experimentId = Path.GetFileName(experimentFolder);
        Assert.Matches("^[1-9][0-9]*$", experimentId);
        string experimentMeta = File.ReadAllText(Path.Combine(experimentFolder, "meta.yaml"));
        long created = Time(experimentMeta, "creation_time", before, after);
        Assert.Equal(
            $"artifact_location: {storeUri}/{experimentId}\ncreation_time: {created}\nexperiment_id: '{experimentId}'\nlast_update_time: {created}\nlifecycle_stage: active\nname: golden\n",
            experimentMeta);

        string runFolder = Directory.GetDirectories(experimentFolder).Single();
        string runId = Path.GetFileName(runFolder);
        Assert.Matches("^[0-9a-f]{32}$", runId);
        Assert.Equal(RunEntries, Directory.GetFileSystemEntries(runFolder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        string runMeta = File.ReadAllText(Path.Combine(runFolder, "meta.yaml"));
        long start = Time(runMeta, "start_time", before, after);
        long end = Time(runMeta, "end_time", start, after);
        Assert.Equal(
            $"artifact_uri: {storeUri}/{experimentId}/{runId}/artifacts\ndeleted_time: null\nend_time: {end}\nentry_point_name: ''\nexperiment_id: '{experimentId}'\n"
            + $"lifecycle_stage: active\nrun_id: '{runId}'\nrun_name: run-abc123def456\nrun_uuid: '{runId}'\nsource_name: ''\nsource_type: 4\nsource_version: ''\n"
            + $"start_time: {start}\nstatus: 3\ntags: []\nuser_id: {Environment.UserName}\n",
            runMeta);

        Assert.Equal("1000 2.5 1\n2000 1.0 2\n", File.ReadAllText(Path.Combine(runFolder, "metrics", "new.loss")));
        Assert.Equal("3000 0.1 0\n", File.ReadAllText(Path.Combine(runFolder, "metrics", "eval", "map")));
        Assert.Equal("4000 1e-05 3\n5000 nan 4\n", File.ReadAllText(Path.Combine(runFolder, "metrics", "lr")));

        Assert.Equal(new[] { "model.embeddingDim", "new.loss.type", "note" }, Names(Path.Combine(runFolder, "params")));
        Assert.Equal("bct", File.ReadAllText(Path.Combine(runFolder, "params", "new.loss.type")));
        Assert.Equal("8", File.ReadAllText(Path.Combine(runFolder, "params", "model.embeddingDim")));
        Assert.Equal("it's \"quoted\"\nand two lines", File.ReadAllText(Path.Combine(runFolder, "params", "note")));

        var tags = Names(Path.Combine(runFolder, "tags")).ToDictionary(n => n, n => File.ReadAllText(Path.Combine(runFolder, "tags", n)));
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["compatlab.content_hash"] = "abc123def456",
                ["compatlab.git_commit"] = "0123abc",
                ["mlflow.runName"] = "run-abc123def456",
                ["mlflow.source.name"] = "compatlab",
                ["mlflow.source.type"] = "LOCAL",
                ["mlflow.user"] = Environment.UserName,
            },
            tags);

        Assert.Equal("{\"map\": 0.5}\n", File.ReadAllText(Path.Combine(runFolder, "artifacts", "results.json")));
        Assert.Equal("PNG bytes", File.ReadAllText(Path.Combine(runFolder, "artifacts", "plots", "summary.png")));
    }

    [Fact]
    public void ResumeReattachesToTheSameRunAndKeepsFirstParamValues()
    {
        using var scratch = new ScratchFolder();
        var options = new Dictionary<string, object> { ["TrackingUri"] = "file:" + scratch.PathOf("mlruns") };
        using (var first = MlflowPlugin.Create(options))
        {
            first.StartRun(MlflowPlugin.Run(scratch.PathOf("run")));
            first.LogParams(new Dictionary<string, string> { ["a"] = "1" });
            first.LogMetrics(new[] { new MetricPoint("loss", 3, 1, 10) });
            first.EndRun(RunStatus.Killed);
        }

        string runFolder = Directory.GetDirectories(Directory.GetDirectories(scratch.PathOf("mlruns")).Single(d => Path.GetFileName(d) is not "0" and not ".trash")).Single();
        Assert.Contains("status: 5\n", File.ReadAllText(Path.Combine(runFolder, "meta.yaml")));

        using (var resumed = MlflowPlugin.Create(options))
        {
            resumed.StartRun(MlflowPlugin.Run(scratch.PathOf("run")));
            Assert.Contains("status: 1\n", File.ReadAllText(Path.Combine(runFolder, "meta.yaml")));
            Assert.Contains("end_time: null\n", File.ReadAllText(Path.Combine(runFolder, "meta.yaml")));
            resumed.LogParams(new Dictionary<string, string> { ["a"] = "changed", ["b"] = "2" });
            resumed.LogMetrics(new[] { new MetricPoint("loss", 2, 2, 20) });
            resumed.EndRun(RunStatus.Finished);
        }

        Assert.Single(Directory.GetDirectories(Path.GetDirectoryName(runFolder)!));
        Assert.Equal("1", File.ReadAllText(Path.Combine(runFolder, "params", "a")));
        Assert.Equal("2", File.ReadAllText(Path.Combine(runFolder, "params", "b")));
        Assert.Equal("10 3.0 1\n20 2.0 2\n", File.ReadAllText(Path.Combine(runFolder, "metrics", "loss")));
        Assert.Contains("status: 3\n", File.ReadAllText(Path.Combine(runFolder, "meta.yaml")));
    }

    [Fact]
    public void AnExperimentMlflowMadeIsFoundByName()
    {
        using var scratch = new ScratchFolder();
        string store = scratch.PathOf("mlruns");
        scratch.File("mlruns/0/meta.yaml", "artifact_location: file:///elsewhere/0\ncreation_time: 1\nexperiment_id: '0'\nlast_update_time: 1\nlifecycle_stage: active\nname: Default\n");
        scratch.File("mlruns/42/meta.yaml", $"artifact_location: {new Uri(Path.Combine(store, "42")).AbsoluteUri}\ncreation_time: 1\nexperiment_id: '42'\nlast_update_time: 1\nlifecycle_stage: active\nname: my experiment\n");
        using (var tracker = MlflowPlugin.Create(new Dictionary<string, object> { ["TrackingUri"] = store, ["ExperimentName"] = "my experiment" }))
        {
            tracker.StartRun(MlflowPlugin.Run(scratch.PathOf("run")));
            tracker.EndRun(RunStatus.Finished);
        }

        Assert.Equal(new[] { ".compatlab-lock", ".trash", "0", "42" }, Directory.GetFileSystemEntries(store).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Single(Directory.GetDirectories(Path.Combine(store, "42")));
    }

    [Fact]
    public void CheckpointsAreArtifactsOnlyWhenAskedFor()
    {
        using var scratch = new ScratchFolder();
        scratch.File("run/new-model.bin", "model");
        scratch.File("run/checkpoints/new/step-3.ckpt", "checkpoint");
        foreach (bool logCheckpoints in new[] { false, true })
        {
            string store = scratch.PathOf($"mlruns-{logCheckpoints}");
            using (var tracker = MlflowPlugin.Create(new Dictionary<string, object> { ["TrackingUri"] = store, ["LogCheckpoints"] = logCheckpoints }))
            {
                tracker.StartRun(MlflowPlugin.Run(scratch.PathOf("run"), logCheckpoints ? "aaaaaaaaaaaa" : "bbbbbbbbbbbb"));
                tracker.EndRun(RunStatus.Finished);
            }

            string artifacts = Path.Combine(Directory.GetDirectories(Directory.GetDirectories(store).Single(d => Path.GetFileName(d) is not "0" and not ".trash")).Single(), "artifacts");
            // The model folder is always logged for a finished run; the raw checkpoints only when asked for.
            var model = new[] { "model/MLmodel", "model/data/model.bin" };
            var expected = logCheckpoints ? new[] { "checkpoints/new-model.bin", "checkpoints/new/step-3.ckpt" }.Concat(model) : model;
            Assert.Equal(expected, Directory.GetFiles(artifacts, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(artifacts, f)).Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public void KeysAreMadeSafeForMlflowAndTheFileSystem()
    {
        using var scratch = new ScratchFolder();
        string store = scratch.PathOf("mlruns");
        using (var tracker = MlflowPlugin.Create(new Dictionary<string, object> { ["TrackingUri"] = store }))
        {
            tracker.StartRun(MlflowPlugin.Run(scratch.PathOf("run")));
            tracker.LogParams(new Dictionary<string, string> { ["../escape"] = "1", ["a:b*c"] = "2" });
            tracker.EndRun(RunStatus.Finished);
        }

        string runFolder = Directory.GetDirectories(Directory.GetDirectories(store).Single(d => Path.GetFileName(d) is not "0" and not ".trash")).Single();
        Assert.Equal("1", File.ReadAllText(Path.Combine(runFolder, "params", "_", "escape")));
        Assert.Equal("2", File.ReadAllText(Path.Combine(runFolder, "params", "a_b_c")));
    }

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private static IEnumerable<string> Names(string folder) => Directory.GetFiles(folder).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal);

    private static long Time(string yaml, string key, long low, long high)
    {
        string line = yaml.Split('\n').Single(l => l.StartsWith(key + ": ", StringComparison.Ordinal));
        long value = long.Parse(line[(key.Length + 2)..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(value, low, high);
        return value;
    }
}
