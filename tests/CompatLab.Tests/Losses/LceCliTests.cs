using CompatLab.Abstractions.Tracking;
using CompatLab.Engine.Runs;
using CompatLab.Engine.Tracking;
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
        var points = File.ReadLines(Path.Combine(folder, "metrics.jsonl")).Select(MetricLines.Parse).ToList();
        var compLosses = Values(points, "new.loss_comp");
        Assert.Equal(12, compLosses.Count); // 24 new steps, logged every 2
        Assert.All(compLosses, value => Assert.True(double.IsFinite(value) && value > 0));

        // The classifier term (100 * MSE between the new classifier's normalised rows and the old centres) dominates
        // at the start; it can only fall if the host handed the loss the live classifier weight with its gradient.
        Assert.True(compLosses[^1] < compLosses[0] / 5, $"lce's term went {compLosses[0]} -> {compLosses[^1]}: the classifier is not being aligned");

        // What the host minimises is exactly L_cls + lambda * L_comp (lambda 1 by default), window by window.
        var totals = Values(points, "new.loss");
        var classification = Values(points, "new.loss_cls");
        Assert.All(Enumerable.Range(0, compLosses.Count), i =>
            Assert.Equal(classification[i] + compLosses[i], totals[i], 1e-4 * Math.Max(1, totals[i])));

        // The run ends finished, and its results are the evaluation points it logged.
        Assert.Equal("finished", ExperimentRunner.ReadState(folder)!.Status);
        var results = ExperimentRunner.ReadResult(Path.Combine(folder, "results.json"));
        Assert.Equal("lce", results.Loss);
        Assert.Equal(Values(points, "eval.cross.map").Single(), results.Cross!.Map, 1e-9);
        Assert.Equal(Values(points, "eval.new_self.map").Single(), results.NewSelf!.Map, 1e-9);
        Assert.InRange(results.Cross.Map, 0, 1);
    }

    private static List<double> Values(List<MetricPoint> points, string key) =>
        points.Where(p => p.Key == key).OrderBy(p => p.Step).Select(p => p.Value).ToList();
}
