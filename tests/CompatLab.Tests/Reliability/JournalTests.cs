using CompatLab.Abstractions.Tracking;
using CompatLab.Engine.Matrix;
using CompatLab.Engine.Tracking;
using CompatLab.Tests.Support;
using Xunit;

namespace CompatLab.Tests.Reliability;

/// <summary>Metric journals after a kill: cut back on resume (no point twice), torn lines tolerated, logs kept per attempt.</summary>
public class JournalTests
{
    private const string TornLine = "{\"key\":\"new.integrator.conflict_pair_fra";

    [Fact]
    public void ResumedRunLogsEveryPointExactlyOnceLikeAnUninterruptedRun()
    {
        using var scratch = new ScratchFolder();
        string output = scratch.PathOf("runs").Replace("\\", "/", StringComparison.Ordinal);
        string file = scratch.File("e.json", TinyExperiment.Json(extra: """, "tracking": { "trackers": [] }""").Replace("\"output\": \"runs\"", $"\"output\": \"{output}\"", StringComparison.Ordinal));
        using var run = InProcessRun.Open(file);
        run.Run();
        string folder = run.Experiment.RunFolder;
        var uninterrupted = KeysAndSteps(folder);

        // As if killed after the checkpoint of step 21 (of 24) and before the model was saved, mid-write of a line.
        File.Delete(Path.Combine(folder, "new-model.bin"));
        File.Delete(Path.Combine(folder, "results.json"));
        File.Delete(Path.Combine(folder, "checkpoints", "new", "step-000000024.ckpt"));
        File.AppendAllText(Path.Combine(folder, "metrics.jsonl"), TornLine);
        run.Run();

        Assert.Contains("new: resuming from the checkpoint at step 21", run.Messages.ToString());
        Assert.Contains("removed a torn last line", run.Messages.ToString());
        Assert.Equal(uninterrupted, KeysAndSteps(folder));
    }

    // Both runs go through the CLI, each in its own process: an in-process run shares torch's global thread count
    // with tests running beside it, and the averages compared here are exact.
    [Fact]
    public void APrunNetRunKilledAfterACheckpointSummarisesItsTelemetryAsAnUninterruptedRun()
    {
        using var scratch = new ScratchFolder();
        string file = scratch.File("e.json", TinyExperiment.PrunNetJson("""{ "capacities": [1.0, 0.5] }"""));
        string[] run = ["run", file, "--set", "checkpoints.keep=3"];
        var first = CliProcess.Run(scratch.Root, run);
        Assert.True(first.ExitCode == 0, first.Error);
        string folder = Path.GetDirectoryName(Directory.GetFiles(scratch.PathOf("runs/tinyprun"), "results.json", SearchOption.AllDirectories).Single())!;
        string store = Directory.GetDirectories(scratch.PathOf("runs/.prunnet-models")).Single();
        var uninterrupted = IntegratorTelemetry.Read(folder, w => Assert.Fail(w));
        Assert.True(double.IsFinite(uninterrupted.ConflictPairFraction) && double.IsFinite(uninterrupted.ConflictRowFraction));

        // As if killed after step 24 was logged but before its checkpoint was written: the run and the cached network
        // lose everything after the checkpoint of step 21, while both journals keep the points of steps 22 and 24.
        File.Delete(Path.Combine(store, "model.bin"));
        File.Delete(Path.Combine(store, "checkpoints", "new", "step-000000024.ckpt"));
        File.Delete(Path.Combine(folder, "new-model.bin"));
        File.Delete(Path.Combine(folder, "results.json"));
        var resumed = CliProcess.Run(scratch.Root, run);

        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.Contains("new: resuming from the checkpoint at step 21", resumed.Error);
        Assert.Equal(uninterrupted, IntegratorTelemetry.Read(folder, w => Assert.Fail(w)));
    }

    [Fact]
    public void CutBackDropsTheStagesPointsAfterTheCheckpointAndEverythingLoggedAfterThem()
    {
        using var scratch = new ScratchFolder();
        string path = scratch.File("metrics.jsonl", string.Concat(new[]
        {
            Line("old.loss", 4), Line("new.loss", 2), Line("sys.rss_mb", 2), Line("new.loss", 4), Line("sys.rss_mb", 4), Line("new.loss", 6),
        }));

        int dropped = MetricJournal.CutBack(path, "new", 2);

        Assert.Equal(3, dropped);
        Assert.Equal(new[] { ("old.loss", 4L), ("new.loss", 2L), ("sys.rss_mb", 2L) }, MetricJournal.Read(path, _ => { }).Select(p => (p.Key, p.Step)));
    }

    [Fact]
    public void IntegratorTelemetryToleratesATornLastLineAndReportsIt()
    {
        using var scratch = new ScratchFolder();
        scratch.File("run/metrics.jsonl", Line(IntegratorTelemetry.PairKey, 2, 0.25) + Line(IntegratorTelemetry.RowKey, 2, 0.5) + TornLine);
        var warnings = new List<string>();

        var telemetry = IntegratorTelemetry.Read(scratch.PathOf("run"), warnings.Add);

        Assert.Equal(new IntegratorTelemetry(0.25, 0.5), telemetry);
        Assert.Contains("line 3 is torn", Assert.Single(warnings));
    }

    [Fact]
    public void ReplayToleratesATornLastLine()
    {
        using var scratch = new ScratchFolder();
        string path = scratch.File("training-metrics.jsonl", Line("new.loss", 2) + TornLine);
        var tracker = new RecordingSink();
        var warnings = new List<string>();

        int replayed = RecordingTracker.Replay(path, tracker, warnings.Add);

        Assert.Equal(1, replayed);
        Assert.Single(warnings);
    }

    [Fact]
    public void EachAttemptOfACellKeepsItsLog()
    {
        using var scratch = new ScratchFolder();
        string log = scratch.File("logs/bct_s1.log", "first attempt");

        Assert.Equal(scratch.PathOf("logs/bct_s1.1.log"), AttemptLogs.KeepPrevious(log));
        File.WriteAllText(log, "second attempt");
        Assert.Equal(scratch.PathOf("logs/bct_s1.2.log"), AttemptLogs.KeepPrevious(log));

        Assert.Equal("first attempt", File.ReadAllText(scratch.PathOf("logs/bct_s1.1.log")));
        Assert.Equal("second attempt", File.ReadAllText(scratch.PathOf("logs/bct_s1.2.log")));
        Assert.False(File.Exists(log));
    }

    private static string Line(string key, long step, double value = 1.0) => MetricLines.Format(new MetricPoint(key, value, step, 1)) + "\n";

    /// <summary>Every (key, step) of a run's journal, sorted: equal lists mean nothing was lost or logged twice.</summary>
    private static List<(string, long)> KeysAndSteps(string folder) =>
        MetricJournal.Read(Path.Combine(folder, "metrics.jsonl"), w => Assert.Fail(w)).Select(p => (p.Key, p.Step)).Order().ToList();

    private sealed class RecordingSink : IExperimentTracker
    {
        public List<MetricPoint> Points { get; } = new();

        public void StartRun(TrackedRun run)
        {
        }

        public void LogParams(IReadOnlyDictionary<string, string> parameters)
        {
        }

        public void LogMetrics(IReadOnlyList<MetricPoint> points) => Points.AddRange(points);

        public void SetTags(IReadOnlyDictionary<string, string> tags)
        {
        }

        public void LogArtifact(string localPath, string artifactPath)
        {
        }

        public void EndRun(RunStatus status)
        {
        }

        public void Dispose()
        {
        }
    }
}
