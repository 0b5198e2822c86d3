using System.Text.Json.Nodes;
using CompatLab.Engine.Tracking;
using CompatLab.Tests.Support;
using Xunit;

namespace CompatLab.Tests.Loading;

/// <summary>A run stopped in the middle of an epoch resumes at the next batch of that epoch and ends exactly as an uninterrupted one.</summary>
// Compares seeded runs exactly: torch's global generator (which model building seeds) must not be shared with other tests.
[Collection(CompatLab.Tests.Backbones.TorchRandomCollection.Name)]
public class MidEpochResumeTests
{
    [Fact]
    public void ResumingFromAMidEpochCheckpointGivesTheUninterruptedLossesAndResults()
    {
        using var scratch = new ScratchFolder();
        string file = scratch.File("e.json", TinyExperiment.Json(extra: """, "tracking": { "trackers": [] }"""));
        using var run = InProcessRun.Open(file, "checkpoints.keep=3", $"output={scratch.PathOf("runs")}"); // a fresh folder: no finished run from an earlier test
        run.Run();
        string folder = run.Experiment.RunFolder;
        var losses = Losses(folder);
        string results = Results(folder);

        // As if killed after the checkpoint of step 18: 96 images in batches of 8 make 12 steps an epoch, so the
        // newest checkpoint left stands at batch 6 of epoch 1 and the run must go on from batch 6 of the same order.
        // (LogWindowResumeTests resumes inside a loss window; here step 18 ends one.)
        File.Delete(Path.Combine(folder, "new-model.bin"));
        File.Delete(Path.Combine(folder, "results.json"));
        File.Delete(Path.Combine(folder, "checkpoints", "new", "step-000000024.ckpt"));
        File.Delete(Path.Combine(folder, "checkpoints", "new", "step-000000021.ckpt"));
        run.Run();

        Assert.Contains("new: resuming from the checkpoint at step 18", run.Messages.ToString());
        Assert.Equal(losses, Losses(folder));
        Assert.Equal(results, Results(folder));
    }

    private static List<(string, double, long)> Losses(string folder) =>
        MetricJournal.Read(Path.Combine(folder, "metrics.jsonl"), _ => { })
            .Where(p => p.Key.StartsWith("new.", StringComparison.Ordinal) && p.Key.EndsWith("loss", StringComparison.Ordinal))
            .Select(p => (p.Key, p.Value, p.Step)).ToList();

    private static string Results(string folder)
    {
        var node = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "results.json")))!.AsObject();
        return new JsonObject { ["oldSelf"] = node["oldSelf"]!.DeepClone(), ["newSelf"] = node["newSelf"]!.DeepClone(), ["cross"] = node["cross"]!.DeepClone() }.ToJsonString();
    }
}
