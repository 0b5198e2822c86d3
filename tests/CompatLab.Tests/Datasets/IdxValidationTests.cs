using CompatLab.Abstractions;
using Xunit;

namespace CompatLab.Tests.Datasets;

public class IdxValidationTests
{
    private static readonly byte[] ValidTrainPixels =
        IdxBytes.ImagePixels(6, TinyIdxDataset.Rows, TinyIdxDataset.Columns, TinyIdxDataset.TrainPixel);

    [Fact]
    public void TruncatedImageDataNamesExpectedAndFoundSizes()
    {
        using var files = new TinyIdxDataset();
        files.Overwrite(files.TrainImages, IdxBytes.File(IdxBytes.UnsignedByte, [6, 3, 4], ValidTrainPixels[..^1]));

        AssertUserError(files, files.TrainImages, "expected 72 image bytes after the header (6 x 3 x 4), found 71");
    }

    [Fact]
    public void ExtraImageBytesAreRejected()
    {
        using var files = new TinyIdxDataset();
        files.Overwrite(files.TrainImages, IdxBytes.File(IdxBytes.UnsignedByte, [6, 3, 4], [.. ValidTrainPixels, 0, 0]));

        AssertUserError(files, files.TrainImages, "expected 72 image bytes after the header (6 x 3 x 4), found 74");
    }

    [Fact]
    public void TruncatedGzipIsReportedForItsFile()
    {
        using var files = new TinyIdxDataset(gzip: true);
        byte[] compressed = File.ReadAllBytes(files.TrainImages);
        files.Overwrite(files.TrainImages, compressed[..(compressed.Length / 2)]);

        AssertUserError(files, files.TrainImages, string.Empty);
    }

    [Fact]
    public void GarbageAfterTheGzipSignatureCannotBeDecompressed()
    {
        using var files = new TinyIdxDataset();
        files.Overwrite(files.TestLabels, [0x1f, 0x8b, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42]);

        AssertUserError(files, files.TestLabels, "cannot be decompressed");
    }

    [Fact]
    public void TruncatedLabelDataNamesExpectedAndFoundSizes()
    {
        using var files = new TinyIdxDataset();
        files.Overwrite(files.TrainLabels, IdxBytes.File(IdxBytes.UnsignedByte, [6], [0, 1, 2, 0, 1]));

        AssertUserError(files, files.TrainLabels, "expected 6 label bytes after the header (6), found 5");
    }

    [Fact]
    public void ShortHeaderIsRejected()
    {
        using var files = new TinyIdxDataset();
        files.Overwrite(files.TestImages, [0, 0, 8, 3, 0, 0, 0, 3, 0, 0]);

        AssertUserError(files, files.TestImages, "expected an IDX header of 16 bytes, the file has only 10");
    }

    [Fact]
    public void FileThatIsNotIdxIsRejected()
    {
        using var files = new TinyIdxDataset();
        files.Overwrite(files.TrainImages, "just some text, not an image file"u8.ToArray());

        AssertUserError(files, files.TrainImages, "not an IDX file");
    }

    [Fact]
    public void NonByteDataTypeIsRejected()
    {
        using var files = new TinyIdxDataset();
        files.Overwrite(files.TrainImages, IdxBytes.File(0x0D, [6, 3, 4], new byte[72 * 4]));

        AssertUserError(files, files.TrainImages, "expected IDX data type 0x08 (unsigned byte), found 0x0D (float32)");
    }

    [Fact]
    public void LabelFileGivenAsImagesIsRejectedByDimensionCount()
    {
        using var files = new TinyIdxDataset();

        var error = AssertUserError(
            files, files.TrainLabels, "expected 3 dimension(s) for images", ("trainImages", files.TrainLabels));
        Assert.Contains("found 1 (is this a label file?)", error.Message);
    }

    [Fact]
    public void ImageFileGivenAsLabelsIsRejectedByDimensionCount()
    {
        using var files = new TinyIdxDataset();

        AssertUserError(files, files.TestImages, "expected 1 dimension(s) for labels", ("testLabels", files.TestImages));
    }

    [Fact]
    public void EmptyImageFileIsRejected()
    {
        using var files = new TinyIdxDataset();
        files.Overwrite(files.TestImages, IdxBytes.File(IdxBytes.UnsignedByte, [0, 3, 4], []));

        AssertUserError(files, files.TestImages, "expected a positive count in the header, found 0");
    }

    [Fact]
    public void ImageAndLabelCountsMustMatch()
    {
        using var files = new TinyIdxDataset();
        files.Overwrite(files.TrainLabels, IdxBytes.Labels(0, 1, 2, 0, 1));

        var error = AssertUserError(files, files.TrainLabels, "expected one label per image");
        Assert.Contains(files.TrainImages, error.Message);
        Assert.Contains("(6), found 5 labels", error.Message);
    }

    [Fact]
    public void LabelsMustBeBelowTheNamedClassCount()
    {
        using var files = new TinyIdxDataset();

        AssertUserError(
            files,
            files.TrainLabels,
            "expected labels 0..1 (the 2 classes in classNames), found 2 at index 2",
            ("classNames:0", "a"),
            ("classNames:1", "b"));
    }

    [Fact]
    public void LabelOutsideTheClassesIsReportedWithItsIndex()
    {
        using var files = new TinyIdxDataset();
        files.Overwrite(files.TestLabels, IdxBytes.Labels(2, 7, 0));

        AssertUserError(
            files,
            files.TestLabels,
            "found 7 at index 1",
            ("classNames:0", "a"),
            ("classNames:1", "b"),
            ("classNames:2", "c"));
    }

    [Fact]
    public void TestImagesMustHaveTheTrainingImageSize()
    {
        using var files = new TinyIdxDataset();
        files.Overwrite(files.TestImages, IdxBytes.Images(3, 2, 2, i => (byte)i));

        var error = AssertUserError(files, files.TestImages, "expected 3 x 4 images like the training images");
        Assert.Contains("found 2 x 2", error.Message);
    }

    [Fact]
    public void MissingFileNamesThePathAndTheAlternativeTried()
    {
        using var files = new TinyIdxDataset();
        File.Delete(files.TestLabels);

        var error = AssertUserError(files, files.TestLabels, "file not found");
        Assert.Contains(files.TestLabels + ".gz", error.Message);
        Assert.DoesNotContain("apt-get", error.Message);
    }

    [Fact]
    public void MissingPathsAreOptionErrors()
    {
        var problems = DatasetPlugins.Validate("idx");

        Assert.Equal(4, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("trainImages must not be empty", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("testLabels must not be empty", StringComparison.Ordinal));
        var error = Assert.Throws<CompatLabUserException>(() => DatasetPlugins.Create("idx"));
        Assert.Contains("trainLabels", error.Message);
    }

    [Fact]
    public void BadNormalisationLimitsAndClassNamesAreOptionErrors()
    {
        using var files = new TinyIdxDataset();
        var problems = DatasetPlugins.Validate("idx", files.Options(
            ("std", "0"), ("trainLimit", "-1"), ("classNames:0", "a"), ("classNames:1", "a")));

        Assert.Equal(3, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("std must be a positive number, got 0", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("trainLimit must be 0", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("classNames must be distinct, found repeated: a", StringComparison.Ordinal));
    }

    private static CompatLabUserException AssertUserError(
        TinyIdxDataset files, string path, string expectedText, params (string Key, string? Value)[] overrides)
    {
        var provider = DatasetPlugins.Create("idx", files.Options(overrides));
        var error = Assert.Throws<CompatLabUserException>(() => provider.Load(new(Seed: 1)));
        Assert.StartsWith(path, error.Message, StringComparison.Ordinal);
        Assert.Contains(expectedText, error.Message, StringComparison.Ordinal);
        return error;
    }
}
