using CompatLab.Engine.Tracking;
using CompatLab.Tests.Images;
using CompatLab.Tests.Support;
using Xunit;

namespace CompatLab.Tests.Loading;

/// <summary>The engine trains and evaluates on a set decoded on demand, with augmentation, the same with and without prefetch.</summary>
// Compares seeded runs exactly: torch's global generator (which model building seeds) must not be shared with other tests.
[Collection(CompatLab.Tests.Backbones.TorchRandomCollection.Name)]
public class ImageTrainingTests
{
    [Fact]
    public void AnExperimentOnAugmentedImageFilesGivesTheSameLossesWithAndWithoutPrefetch()
    {
        var inline = Losses("0");
        Assert.Contains(inline, p => p.Item1 == "new.loss");
        Assert.Equal(inline, Losses("2"));
    }

    private static List<(string, double, long)> Losses(string prefetch)
    {
        using var scratch = new ScratchFolder();
        string root = scratch.PathOf("images").Replace("\\", "/", StringComparison.Ordinal);
        TinyImageData.WriteFolder(root, classes: 4, perClass: 10);
        string dataset = $$"""{ "type": "image-folder", "options": { "root": "{{root}}", "imageSize": 8, "workers": 1, "transforms": { "scale": [0.5, 1.0] } } }""";
        string json = TinyExperiment.Json("bct", """, "tracking": { "trackers": [] }""")
            .Replace("""{ "type": "synthetic", "options": { "classes": 4, "trainPerClass": 24, "testPerClass": 6, "size": 16 } }""", dataset, StringComparison.Ordinal);
        Assert.Contains("image-folder", json, StringComparison.Ordinal);
        string file = scratch.File("e.json", json);
        using var run = InProcessRun.Open(file, $"data.loader.prefetch={prefetch}", "old.training.batchSize=4", "new.training.batchSize=4", $"output={scratch.PathOf("runs")}"); // own folder: prefetch is not in the run key
        string folder = run.Run().RunFolder;
        return MetricJournal.Read(Path.Combine(folder, "metrics.jsonl"), _ => { })
            .Where(p => p.Key.EndsWith("loss", StringComparison.Ordinal) || p.Key.StartsWith("eval.", StringComparison.Ordinal))
            .Select(p => (p.Key, p.Value, p.Step)).ToList();
    }
}
