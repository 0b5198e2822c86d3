using CompatLab.Engine.Tracking;
using CompatLab.Tests.Support;
using Xunit;

namespace CompatLab.Tests.Training;

/// <summary>A run resumed inside a logging window logs exactly the points of an uninterrupted one: the window's running sums are checkpointed.</summary>
public class LogWindowResumeTests
{
    // Both runs go through the CLI, each in its own process: an in-process run shares torch's global thread count
    // with tests running beside it, and the sums compared here are exact.
    [Fact]
    public void ResumingInsideALogWindowLogsTheUninterruptedLosses()
    {
        using var scratch = new ScratchFolder();
        string file = scratch.File("e.json", TinyExperiment.Json(extra: """, "tracking": { "trackers": [] }"""));
        string[] run = ["run", file, "--set", "checkpoints.keep=3", "--set", "new.training.logEvery=4"];
        var first = CliProcess.Run(scratch.Root, run);
        Assert.True(first.ExitCode == 0, first.Error);
        string folder = Directory.GetDirectories(scratch.PathOf("runs/tiny"), "run-*").Single();
        var uninterrupted = LoggedLosses(folder, "new.");

        // 12 steps an epoch, 24 in all, checkpoints every 3 steps: without the last one the run resumes at step 21,
        // one step into the window 21-24, whose point must still average all four steps.
        File.Delete(Path.Combine(folder, "new-model.bin"));
        File.Delete(Path.Combine(folder, "results.json"));
        File.Delete(Path.Combine(folder, "checkpoints", "new", "step-000000024.ckpt"));
        var resumed = CliProcess.Run(scratch.Root, run);

        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.Contains("new: resuming from the checkpoint at step 21", resumed.Error);
        Assert.Contains(uninterrupted, p => p.Item1 == "new.loss_comp" && p.Item3 == 24);
        Assert.Equal(uninterrupted, LoggedLosses(folder, "new."));
    }

    [Fact]
    public void APrunNetRunResumedInsideALogWindowLogsTheUninterruptedLossesAndTelemetry()
    {
        using var scratch = new ScratchFolder();
        string file = scratch.File("e.json", TinyExperiment.PrunNetJson());
        string[] run = ["run", file, "--set", "checkpoints.keep=3", "--set", "new.training.logEvery=4"];
        var first = CliProcess.Run(scratch.Root, run);
        Assert.True(first.ExitCode == 0, first.Error);
        string store = Directory.GetDirectories(scratch.PathOf("runs/.prunnet-models")).Single();
        var uninterrupted = LoggedLosses(store, "new.", "training-metrics.jsonl");

        File.Delete(Path.Combine(store, "model.bin"));
        File.Delete(Path.Combine(store, "checkpoints", "new", "step-000000024.ckpt"));
        Directory.Delete(scratch.PathOf("runs/tinyprun"), recursive: true);
        var resumed = CliProcess.Run(scratch.Root, run);

        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.Contains("new: resuming from the checkpoint at step 21", resumed.Error);
        Assert.Contains(uninterrupted, p => p.Item1.StartsWith("new.integrator.", StringComparison.Ordinal) && p.Item3 == 24);
        Assert.Equal(uninterrupted, LoggedLosses(store, "new.", "training-metrics.jsonl"));
    }

    /// <summary>The stage's logged losses (and integrator telemetry): the points that depend on the window's sums.</summary>
    private static List<(string, double, long)> LoggedLosses(string folder, string stage, string journal = "metrics.jsonl") =>
        MetricJournal.Read(Path.Combine(folder, journal), _ => { })
            .Where(p => p.Key.StartsWith(stage + "loss", StringComparison.Ordinal) || p.Key.StartsWith(stage + "integrator.", StringComparison.Ordinal))
            .Select(p => (p.Key, p.Value, p.Step)).ToList();
}
