using TorchSharp;
using Xunit;

namespace CompatLab.Tests.Datasets;

public class IdxReadingTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RawAndGzippedFilesReadBackExactly(bool gzip)
    {
        using var files = new TinyIdxDataset(gzip);
        using var bundle = DatasetPlugins.Load("idx", files.Options());

        Assert.Equal([6L, 1, TinyIdxDataset.Rows, TinyIdxDataset.Columns], bundle.Train.Images.shape);
        Assert.Equal([3L, 1, TinyIdxDataset.Rows, TinyIdxDataset.Columns], bundle.Test.Images.shape);
        Assert.Equal(torch.ScalarType.Float32, bundle.Train.Images.dtype);
        Assert.Equal(torch.ScalarType.Int64, bundle.Train.Labels.dtype);
        Assert.Equal(ExpectedPixels(6, TinyIdxDataset.TrainPixel), bundle.Train.Images.data<float>().ToArray());
        Assert.Equal(ExpectedPixels(3, TinyIdxDataset.TestPixel), bundle.Test.Images.data<float>().ToArray());
        Assert.Equal(TinyIdxDataset.TrainLabelValues.Select(l => (long)l), bundle.Train.Labels.data<long>().ToArray());
        Assert.Equal(TinyIdxDataset.TestLabelValues.Select(l => (long)l), bundle.Test.Labels.data<long>().ToArray());
    }

    [Fact]
    public void GzipIsDetectedByContentNotByName()
    {
        using var files = new TinyIdxDataset();
        using var folder = new TempFolder();
        string gzippedWithoutSuffix = folder.Write("images-idx3", File.ReadAllBytes(files.TrainImages), gzip: true);
        string rawWithGzSuffix = folder.Write("labels-idx1.gz", File.ReadAllBytes(files.TrainLabels));

        using var bundle = DatasetPlugins.Load(
            "idx", files.Options(("trainImages", gzippedWithoutSuffix), ("trainLabels", rawWithGzSuffix)));

        Assert.Equal(ExpectedPixels(6, TinyIdxDataset.TrainPixel), bundle.Train.Images.data<float>().ToArray());
        Assert.Equal(TinyIdxDataset.TrainLabelValues.Select(l => (long)l), bundle.Train.Labels.data<long>().ToArray());
    }

    [Fact]
    public void NameWithOrWithoutGzSuffixIsAcceptedWhenTheExactNameIsMissing()
    {
        using var raw = new TinyIdxDataset(gzip: false);
        using var gzipped = new TinyIdxDataset(gzip: true);

        using var bundle = DatasetPlugins.Load("idx", raw.Options(
            ("trainImages", raw.TrainImages + ".gz"),
            ("testImages", gzipped.TestImages[..^".gz".Length])));

        Assert.Equal(6, bundle.Train.Count);
        Assert.Equal(ExpectedPixels(3, TinyIdxDataset.TestPixel), bundle.Test.Images.data<float>().ToArray());
    }

    [Fact]
    public void PixelsAreScaledToUnitRangeThenNormalisedWithMeanAndStd()
    {
        using var files = new TinyIdxDataset();
        using var bundle = DatasetPlugins.Load("idx", files.Options(("mean", "0.5"), ("std", "0.25")));

        float[] expected = ExpectedPixels(6, TinyIdxDataset.TrainPixel).Select(v => (v - 0.5f) / 0.25f).ToArray();
        float[] actual = bundle.Train.Images.data<float>().ToArray();
        Assert.All(expected.Zip(actual), pair => Assert.Equal(pair.First, pair.Second, 5));
    }

    [Fact]
    public void ClassesAreNumberedFromTheLabelsUnlessNamed()
    {
        using var files = new TinyIdxDataset();
        using var numbered = DatasetPlugins.Load("idx", files.Options());
        using var named = DatasetPlugins.Load("idx", files.Options(
            ("classNames:0", "cat"), ("classNames:1", "dog"), ("classNames:2", "owl"), ("classNames:3", "unused")));

        Assert.Equal(["0", "1", "2"], numbered.ClassNames);
        Assert.Equal(["cat", "dog", "owl", "unused"], named.ClassNames);
        Assert.Equal(4, named.ClassCount);
    }

    [Fact]
    public void IdxDefaultsNormaliseWithHalfAndHalf()
    {
        using var files = new TinyIdxDataset();
        var options = files.Options();
        options.Remove("mean");
        options.Remove("std");
        using var bundle = DatasetPlugins.Load("idx", options);

        float first = bundle.Test.Images.data<float>()[0];
        Assert.Equal(((255f / 255f) - 0.5f) / 0.5f, first, 6);
    }

    private static float[] ExpectedPixels(int count, Func<int, byte> pixel) =>
        IdxBytes.ImagePixels(count, TinyIdxDataset.Rows, TinyIdxDataset.Columns, pixel).Select(b => b / 255f).ToArray();
}
