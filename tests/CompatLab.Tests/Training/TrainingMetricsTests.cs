using CompatLab.Engine.Configuration;
using CompatLab.Engine.Runs;
using CompatLab.Engine.Tracking;
using CompatLab.Tests.Support;
using Xunit;

namespace CompatLab.Tests.Training;

/// <summary>The training loop's own metrics, which bench/run-all.sh reads the pipeline's throughput and overhead from.</summary>
public class TrainingMetricsTests
{
    [Fact]
    public void EveryLoggedWindowHasThroughputAndTheLoopsOwnShareOfTheTime()
    {
        using var scratch = new ScratchFolder();
        string output = scratch.PathOf("runs").Replace("\\", "/", StringComparison.Ordinal);
        string json = TinyExperiment.Json(extra: """, "tracking": { "trackers": [] }""")
            .Replace("\"output\": \"runs\"", $"\"output\": \"{output}\"", StringComparison.Ordinal);
        string file = scratch.File("e.json", json);
        var document = ExperimentDocument.Load(file);
        using var catalog = BuiltInPlugins.Load();
        var experiment = new ExperimentResolver(catalog).Resolve(document.CloneContent(), document.Provenance, [], new Dictionary<string, string>(), "run");
        using (var writer = new StringWriter())
        {
            new ExperimentRunner(catalog, writer).Run(experiment, file, force: false, CancellationToken.None);
        }

        string metricsFile = Directory.GetFiles(scratch.PathOf("runs/tiny"), "metrics.jsonl", SearchOption.AllDirectories).Single();
        var points = File.ReadLines(metricsFile).Select(MetricLines.Parse).ToList();
        // Tiny: 2 of 4 classes x 24 images for the old stage, all 4 for the new; batch 8, 2 epochs, logEvery 2.
        foreach ((string stage, int steps) in new[] { ("old", 12), ("new", 24) })
        {
            var throughput = points.Where(p => p.Key == $"{stage}.images_per_second").ToList();
            var overhead = points.Where(p => p.Key == $"{stage}.loop_overhead").ToList();
            Assert.Equal(Enumerable.Range(1, steps / 2).Select(i => (long)(2 * i)), throughput.Select(p => p.Step));
            Assert.Equal(throughput.Select(p => p.Step), overhead.Select(p => p.Step));
            // The same windows as the loss, so a throughput can be read beside the loss it was measured with.
            var losses = points.Where(p => p.Key == $"{stage}.loss").ToList();
            Assert.Equal(throughput.Select(p => p.Step), losses.Select(p => p.Step));
            Assert.All(losses, p => Assert.True(double.IsFinite(p.Value) && p.Value > 0, $"{p.Key} at step {p.Step}: {p.Value}"));
            Assert.All(throughput, p => Assert.True(p.Value > 0, $"{p.Key} at step {p.Step}: {p.Value}"));
            Assert.All(overhead, p => Assert.True(p.Value > 0 && p.Value < 1, $"{p.Key} at step {p.Step}: {p.Value}"));
        }
    }
}
