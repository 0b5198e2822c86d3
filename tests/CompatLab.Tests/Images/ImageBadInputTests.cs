using CompatLab.Abstractions;
using CompatLab.Abstractions.Data;
using CompatLab.Plugins.Datasets.ImageSets;
using CompatLab.Tests.Support;
using SkiaSharp;
using Xunit;
using static TorchSharp.torch;

namespace CompatLab.Tests.Images;

public class ImageBadInputTests
{
    [Fact]
    public void ACorruptImageInAListStopsTheLoadNamingTheFileAndLine()
    {
        using var scratch = new ScratchFolder();
        string list = TinyImageData.WriteList(scratch.Root);
        File.WriteAllText(scratch.PathOf("c01/i02.png"), "not a png at all");

        var error = Assert.Throws<CompatLabUserException>(() => Load(list));

        Assert.Contains($"{list}:9:", error.Message); // header on line 1, then c00 (5 lines), then c01's third image
        Assert.Contains("c01/i02.png", error.Message);
    }

    [Fact]
    public void APixelBombIsRefusedFromItsHeader()
    {
        using var scratch = new ScratchFolder();
        string list = TinyImageData.WriteList(scratch.Root);
        File.WriteAllBytes(scratch.PathOf("c02/i04.png"), TestImages.PngClaiming(20000, 20000));

        var error = Assert.Throws<CompatLabUserException>(() => Load(list));

        Assert.Contains("20000x20000", error.Message);
        Assert.Contains($"{list}:16:", error.Message);
    }

    [Fact]
    public void ATruncatedJpegIsFoundBeforeTrainingByTheDecodeCheck()
    {
        using var scratch = new ScratchFolder();
        string list = TinyImageData.WriteList(scratch.Root);
        string path = scratch.PathOf("c00/i01.png");
        TinyImageData.Write(path, 0, 1, SKEncodedImageFormat.Jpeg, 64, 48);
        byte[] jpeg = File.ReadAllBytes(path);
        File.WriteAllBytes(path, jpeg[..(jpeg.Length / 2)]);

        var error = Assert.Throws<CompatLabUserException>(() => Load(list, o => o.Check = ImageCheck.Decode));

        Assert.Contains($"{list}:3:", error.Message);
    }

    [Fact]
    public void SkipUnreadableLeavesBadImagesOutCountsAndListsThem()
    {
        using var scratch = new ScratchFolder();
        string list = TinyImageData.WriteList(scratch.Root);
        File.Delete(scratch.PathOf("c00/i00.png"));
        File.WriteAllText(scratch.PathOf("c01/i01.png"), "corrupt");
        File.WriteAllBytes(scratch.PathOf("c02/i02.png"), TestImages.PngClaiming(20000, 20000));
        byte[] png = File.ReadAllBytes(scratch.PathOf("c02/i00.png"));
        File.WriteAllBytes(scratch.PathOf("c02/i00.png"), png[..(png.Length / 2)]);
        TestImages.WritePng(scratch.PathOf("c02/i01.png"), 1, 1); // odd but valid: kept
        string skippedList = scratch.PathOf("run/skipped-images.txt");

        using var bundle = Load(list, o =>
        {
            o.SkipUnreadable = true;
            o.Check = ImageCheck.Decode;
            o.SkippedList = skippedList;
        });

        Assert.Equal(9L - 4, bundle.TrainSet.Count);
        string[] lines = File.ReadAllLines(skippedList);
        Assert.Equal(4, lines.Length);
        Assert.Equal(4, ((ImageSampleSet)bundle.TrainSet).Skipped.Count);
        Assert.Contains(lines, l => l.StartsWith(scratch.PathOf("c00/i00.png") + "\t", StringComparison.Ordinal) && l.Contains("does not exist"));
        using var scope = NewDisposeScope();
        Assert.Equal([5L, 3L, 8L, 8L], bundle.TrainSet.Load([0, 1, 2, 3, 4], SamplePass.Evaluation).shape);
    }

    [Fact]
    public void AMissingFileIsNamedWithItsLineWhenNotSkipping()
    {
        using var scratch = new ScratchFolder();
        string list = TinyImageData.WriteList(scratch.Root);
        File.Delete(scratch.PathOf("c00/i03.png"));

        var error = Assert.Throws<CompatLabUserException>(() => Load(list));

        Assert.Contains($"{list}:5: {scratch.PathOf("c00/i03.png")}: the image file does not exist", error.Message);
    }

    [Fact]
    public void AQueryClassWithoutGalleryImagesIsNamed()
    {
        using var scratch = new ScratchFolder();
        string list = TinyImageData.WriteList(scratch.Root);
        File.WriteAllLines(list, File.ReadAllLines(list).Where(l => !l.StartsWith("c01/i04", StringComparison.Ordinal)));

        var error = Assert.Throws<CompatLabUserException>(() => Load(list));

        Assert.Contains("'1' has no gallery image", error.Message);
    }

    [Fact]
    public void BadOptionsAreRefusedNamingTheKey()
    {
        var error = Assert.Throws<CompatLabUserException>(() => new ImageListDataset(new ImageListDatasetOptions
        {
            List = "x.csv",
            ImageSize = 32,
            ResizeShortSide = 16,
            Transforms = { Scale = [0.5, 0.1] },
        }));

        Assert.Contains("resizeShortSide", error.Message);
        Assert.Contains("transforms.scale", error.Message);
    }

    private static DatasetBundle Load(string list, Action<ImageListDatasetOptions>? change = null)
    {
        var options = new ImageListDatasetOptions { List = list, ImageSize = 8, Workers = 2 };
        change?.Invoke(options);
        return new ImageListDataset(options).Load(new DatasetLoadContext(1));
    }
}
