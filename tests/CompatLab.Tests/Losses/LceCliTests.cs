using System.Text.Json.Nodes;
using CompatLab.Tests.Support;
using Xunit;

namespace CompatLab.Tests.Losses;

/// <summary>lce trained through the real CLI: the host hands it the new classifier's weight with every batch.</summary>
public class LceCliTests
{
    [Fact]
    public void LceTrainsThroughTheHostWithTheClassifierTerm()
    {
        using var scratch = new ScratchFolder();
        string file = scratch.File("e.json", TinyExperiment.Json("lce"));

        var run = CliProcess.Run(scratch.Root, "run", file);

        Assert.True(run.ExitCode == 0, run.Error);
        string folder = Directory.GetDirectories(scratch.PathOf("runs/tiny")).Single(d => !Path.GetFileName(d).StartsWith('.'));
        var compLosses = File.ReadLines(Path.Combine(folder, "metrics.jsonl"))
            .Select(line => JsonNode.Parse(line)!)
            .Where(point => (string)point["key"]! == "new.loss_comp")
            .Select(point => (double)point["value"]!)
            .ToList();
        Assert.True(compLosses.Count >= 5, $"{compLosses.Count} logged compatibility losses");
        Assert.All(compLosses, value => Assert.True(double.IsFinite(value) && value > 0));

        // The classifier term (100 * MSE between the new classifier's normalised rows and the old centres) dominates
        // at the start; it can only fall if the host handed the loss the live classifier weight with its gradient.
        Assert.True(compLosses[^1] < compLosses[0] / 5, $"lce's term went {compLosses[0]} -> {compLosses[^1]}: the classifier is not being aligned");
    }
}
