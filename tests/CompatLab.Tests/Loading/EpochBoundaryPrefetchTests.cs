using CompatLab.Engine.Tracking;
using CompatLab.Tests.Support;
using Xunit;

namespace CompatLab.Tests.Loading;

/// <summary>
/// The stage-wide prefetcher loads the next epoch's first batches while this epoch's last ones train: the losses stay
/// those of inline loading over several epochs, a resume before an epoch boundary still ends identical, and every
/// logging window reports its data wait.
/// </summary>
// Compares seeded runs exactly: torch's global generator (which model building seeds) must not be shared with other tests.
[Collection(CompatLab.Tests.Backbones.TorchRandomCollection.Name)]
public class EpochBoundaryPrefetchTests
{
    // Each run writes into its own scratch folder: runs of the same experiment differing only in data.loader share a
    // run key, so a shared output folder would hand the second run the first one's finished results.
    private static readonly string[] ThreeEpochs = ["old.training.epochs=3", "new.training.epochs=3", "checkpoints.keep=20"];

    [Fact]
    public void ThreeEpochsGiveTheSameLossesWithPrefetchZeroAndTwo()
    {
        var inline = Train("0").Losses;
        Assert.Contains(inline, p => p.Item1 == "new.loss" && p.Item3 == 36);
        Assert.Equal(inline, Train("2").Losses);
    }

    [Fact]
    public void AResumeBeforeAnEpochBoundaryWithPrefetchEndsIdenticalToAnUninterruptedRun()
    {
        using var scratch = new ScratchFolder();
        string file = scratch.File("e.json", TinyExperiment.Json(extra: """, "tracking": { "trackers": [] }"""));
        using var run = InProcessRun.Open(file, [.. ThreeEpochs, "data.loader.prefetch=2", $"output={scratch.PathOf("runs")}"]);
        string folder = run.Run().RunFolder;
        var losses = Losses(folder);

        // As if killed after step 9 (batch 9 of 12 in epoch 0): the resumed prefetcher crosses two epoch boundaries.
        File.Delete(Path.Combine(folder, "new-model.bin"));
        File.Delete(Path.Combine(folder, "results.json"));
        foreach (string checkpoint in Directory.GetFiles(Path.Combine(folder, "checkpoints", "new"), "step-*.ckpt"))
        {
            if (long.Parse(Path.GetFileNameWithoutExtension(checkpoint)["step-".Length..], System.Globalization.CultureInfo.InvariantCulture) > 9)
            {
                File.Delete(checkpoint);
            }
        }

        run.Run();

        Assert.Contains("new: resuming from the checkpoint at step 9", run.Messages.ToString());
        Assert.Equal(losses, Losses(folder));
    }

    [Fact]
    public void EveryLoggingWindowReportsItsDataWaitAndTheStageSummarySaysIt()
    {
        var (_, waits, messages) = Train("2");

        Assert.Equal(36 / 2, waits.Count);
        Assert.All(waits, w => Assert.InRange(w, 0.0, 1.0));
        Assert.Contains("new: 36 steps in ", messages);
        Assert.Matches(@"new: 36 steps in [0-9.]+ s, [0-9]+ img/s, data wait [0-9.]+ ?% of step time after the first batch \(first batch [0-9]+ ms, [0-9.]+ ?% with it; prefetch 2\)", messages);
    }

    /// <summary>A three-epoch run's losses and evaluation, its new stage's data waits, and what it printed.</summary>
    private static (List<(string, double, long)> Losses, List<double> Waits, string Messages) Train(string prefetch)
    {
        using var scratch = new ScratchFolder();
        string file = scratch.File("e.json", TinyExperiment.Json(extra: """, "tracking": { "trackers": [] }"""));
        using var run = InProcessRun.Open(file, [.. ThreeEpochs, $"data.loader.prefetch={prefetch}", $"output={scratch.PathOf("runs")}"]);
        string folder = run.Run().RunFolder;
        var waits = MetricJournal.Read(Path.Combine(folder, "metrics.jsonl"), _ => { })
            .Where(p => p.Key == "new.data.wait_fraction").Select(p => p.Value).ToList();
        return (Losses(folder), waits, run.Messages.ToString());
    }

    private static List<(string, double, long)> Losses(string folder) =>
        MetricJournal.Read(Path.Combine(folder, "metrics.jsonl"), _ => { })
            .Where(p => p.Key.EndsWith("loss", StringComparison.Ordinal) || p.Key.StartsWith("eval.", StringComparison.Ordinal))
            .Select(p => (p.Key, p.Value, p.Step)).ToList();
}
