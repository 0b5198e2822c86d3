using CompatLab.Engine.Runs;
using CompatLab.Tests.Support;
using CsvHelper;
using Xunit;

namespace CompatLab.Tests.Images;

/// <summary>With skipUnreadable, a run lists the images its dataset left out in its own folder and says so.</summary>
[Collection(CompatLab.Tests.Backbones.TorchRandomCollection.Name)]
public class SkippedImagesRunFolderTests
{
    [Fact]
    public void ARunOnAListWithACorruptImageWritesSkippedImagesCsvAndSaysWhere()
    {
        using var scratch = new ScratchFolder();
        string root = scratch.PathOf("images").Replace("\\", "/", StringComparison.Ordinal);
        string list = TinyImageData.WriteList(root, classes: 4, perClass: 10, roles: false).Replace("\\", "/", StringComparison.Ordinal);
        string corrupt = Path.Combine(root, "c01", "i02.png");
        File.WriteAllText(corrupt, "not a png at all");
        string dataset = $$"""{ "type": "image-list", "options": { "list": "{{list}}", "imageSize": 8, "workers": 1, "skipUnreadable": true } }""";
        string json = TinyExperiment.Json("bct", """, "tracking": { "trackers": [] }""")
            .Replace("""{ "type": "synthetic", "options": { "classes": 4, "trainPerClass": 24, "testPerClass": 6, "size": 16 } }""", dataset, StringComparison.Ordinal);
        string file = scratch.File("e.json", json);
        using var run = InProcessRun.Open(file, "old.training.batchSize=4", "new.training.batchSize=4", "old.training.epochs=1", "new.training.epochs=1", $"output={scratch.PathOf("runs")}");

        string folder = run.Run().RunFolder;

        string csvPath = Path.Combine(folder, SkippedSamplesFile.FileName);
        using var reader = new CsvReader(new StreamReader(csvPath), System.Globalization.CultureInfo.InvariantCulture);
        var rows = reader.GetRecords<dynamic>().Select(r => (IDictionary<string, object>)r).ToList();
        var row = Assert.Single(rows);
        Assert.Equal(Path.GetFullPath(corrupt), Path.GetFullPath((string)row["path"]));
        Assert.Contains("i02.png", (string)row["reason"], StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(folder, "*.tmp"));
        Assert.Contains($"skipped 1 unreadable sample(s) (skipUnreadable); the list is in {csvPath}", run.Messages.ToString());
    }
}
