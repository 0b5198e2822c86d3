using CompatLab.Abstractions;
using CompatLab.Cli;
using CompatLab.Cli.Data;
using CompatLab.Tests.Datasets;
using CompatLab.Tests.Support;
using SkiaSharp;
using Xunit;

namespace CompatLab.Tests.Images;

/// <summary>`compatlab data export-images` on the real Fashion-MNIST (Debian's dataset-fashion-mnist, as in CI).</summary>
public class ImageExportTests
{
    [Fact]
    public void ExportWritesClassFoldersAndAnOpenSetListWhosePngsHoldTheIdxPixels()
    {
        using var scratch = new ScratchFolder();
        string output = scratch.PathOf("fm");

        int exitCode = DataCommand.Run(Arguments("--dataset", "fashion-mnist", "--out", output, "--limit-per-class", "3"));

        Assert.Equal(0, exitCode);
        string[] folders = Directory.GetDirectories(Path.Combine(output, "images")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;
        Assert.Equal(10, folders.Length);
        Assert.Equal("00-t-shirt-top", folders[0]);
        Assert.Equal("09-ankle-boot", folders[9]);
        Assert.Equal(60, Directory.GetFiles(Path.Combine(output, "images"), "*.png", SearchOption.AllDirectories).Length);

        string[] lines = File.ReadAllLines(Path.Combine(output, "list.csv"));
        Assert.Equal("path,label,role", lines[0]);
        var rows = lines.Skip(1).Select(l => l.Split(',')).Select(p => (Path: p[0], Label: int.Parse(p[1]), Role: p[2])).ToList();
        var heldOut = rows.Where(r => r.Role == "query").Select(r => r.Label).ToHashSet();
        Assert.Equal(3, heldOut.Count); // 0.3 of 10 classes
        Assert.Equal(heldOut, rows.Where(r => r.Role == "gallery").Select(r => r.Label).ToHashSet());
        Assert.DoesNotContain(rows, r => r.Role == "train" && heldOut.Contains(r.Label));
        Assert.Equal(7 * 3, rows.Count(r => r.Role == "train"));
        Assert.Equal(3 * 3, rows.Count(r => r.Role == "query"));
        Assert.Equal(3 * 3, rows.Count(r => r.Role == "gallery"));
        Assert.All(rows, r => Assert.StartsWith($"images/{r.Label:D2}-", r.Path));
        Assert.All(rows, r => Assert.True(File.Exists(Path.Combine(output, r.Path)), r.Path));

        // The first training image of the file: its PNG decodes to exactly the IDX bytes.
        var first = rows.Single(r => r.Path.EndsWith("/train-00000.png", StringComparison.Ordinal));
        using var bundle = DatasetPlugins.Load("fashion-mnist", new Dictionary<string, string?> { ["mean"] = "0", ["std"] = "1", ["trainLimit"] = "0" });
        byte[] expected = bundle.Train.Images[0].mul(255).round().to(TorchSharp.torch.ScalarType.Byte).data<byte>().ToArray();
        using SKBitmap decoded = SKBitmap.Decode(Path.Combine(output, first.Path));
        Assert.Equal((28, 28), (decoded.Width, decoded.Height));
        Assert.Equal(expected, Enumerable.Range(0, 28 * 28).Select(i => decoded.GetPixel(i % 28, i / 28).Red).ToArray());
    }

    [Fact]
    public void AnOutputFolderThatIsNotEmptyIsRefusedByName()
    {
        using var scratch = new ScratchFolder();
        string existing = scratch.File("fm/list.csv", "path,label\n");
        string output = Path.GetDirectoryName(existing)!;

        var error = Assert.Throws<CompatLabUserException>(() => DataCommand.Run(Arguments("--dataset", "fashion-mnist", "--out", output)));

        Assert.Contains(output, error.Message);
        Assert.Contains("not an empty folder", error.Message);
    }

    [Theory]
    [InlineData("--dataset", "mnist", "--dataset must be one of: fashion-mnist; got 'mnist'")]
    [InlineData("--open-set-fraction", "1", "--open-set-fraction must be between 0 and 1")]
    [InlineData("--limit-per-class", "0", "--limit-per-class must be a positive whole number, got '0'")]
    [InlineData("--colour", "red", "unknown option '--colour'")]
    public void BadOptionsAreNamed(string option, string value, string message)
    {
        var given = new Dictionary<string, string> { ["--dataset"] = "fashion-mnist", ["--out"] = "/nonexistent/never-written", [option] = value };

        var error = Assert.Throws<CompatLabUserException>(() => DataCommand.Run(Arguments(given.SelectMany(p => new[] { p.Key, p.Value }).ToArray())));

        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void OpenSetSplitIsSeededAndAlwaysLeavesClassesOnBothSides()
    {
        Assert.Equal(new OpenSetSplit(0.3, 4).HeldOutClasses(10), new OpenSetSplit(0.3, 4).HeldOutClasses(10));
        Assert.Equal(3, new OpenSetSplit(0.3, 4).HeldOutClasses(10).Count);
        Assert.Single(new OpenSetSplit(0.01, 1).HeldOutClasses(10));
        Assert.Equal(9, new OpenSetSplit(0.99, 1).HeldOutClasses(10).Count);
        Assert.Null(OpenSetSplit.Role(new HashSet<int> { 2 }, 1, fromTestSplit: true));
        Assert.Equal("gallery", OpenSetSplit.Role(new HashSet<int> { 2 }, 2, fromTestSplit: false));
    }

    [Theory]
    [InlineData("T-shirt/top", 0, "00-t-shirt-top")]
    [InlineData("Ankle boot", 9, "09-ankle-boot")]
    public void ClassFolderNamesSortByClassIdAndAreSafe(string className, int classId, string expected) =>
        Assert.Equal(expected, ImageFolderExporter.FolderName(className, classId));

    private static CliArguments Arguments(params string[] options) => CliArguments.Parse(["data", "export-images", .. options]);
}
