using System.Text.Json.Nodes;
using CompatLab.Tests.Support;
using Xunit;

namespace CompatLab.Tests.Losses;

/// <summary>ndpp and odpp trained through the real CLI on the tiny synthetic experiment, refreshing every 4 steps.</summary>
public class PrototypePerturbationCliTests
{
    private const string Matrix = """
        ,
          "matrix": { "axes": { "new.loss": [
            { "type": "ndpp", "options": { "refreshInterval": 4 } },
            { "type": "odpp", "options": { "refreshInterval": 4, "bankSize": 64, "steps": 5 } } ] } }
        """;

    [Fact]
    public void NdppAndOdppTrainEvaluateAndReportEveryRefresh()
    {
        using var scratch = new ScratchFolder();
        string file = scratch.File("e.json", TinyExperiment.Json("ndpp", Matrix));

        var run = CliProcess.Run(scratch.Root, "run", file);

        Assert.True(run.ExitCode == 0, run.Error);
        var summary = JsonNode.Parse(File.ReadAllText(scratch.PathOf("runs/tiny/summary.json")))!;
        Assert.Empty(summary["failures"]!.AsArray());
        var results = summary["results"]!.AsArray();
        Assert.Equal(new[] { "ndpp", "odpp" }, results.Select(r => (string)r!["loss"]!));
        foreach (JsonNode result in results.Select(r => r!))
        {
            string loss = (string)result["loss"]!;
            Assert.InRange((double)result["cross"]!["map"]!, 0.0, 1.0);
            // 96 new-stage images in batches of 8 for 2 epochs: 24 steps, a refresh at 4, 8, ..., 24.
            var refreshSteps = File.ReadLines(Path.Combine(scratch.Root, (string)result["runFolder"]!, "metrics.jsonl"))
                .Select(line => JsonNode.Parse(line)!)
                .Where(point => (string)point["key"]! == $"{loss}/perturbation-norm-mean")
                .Select(point => (long)point["step"]!)
                .ToArray();
            Assert.Equal(new long[] { 4, 8, 12, 16, 20, 24 }, refreshSteps);
        }
    }
}
