using CompatLab.Abstractions;
using CompatLab.Plugins.Datasets.Images;
using CompatLab.Tests.Support;
using SkiaSharp;
using Xunit;

namespace CompatLab.Tests.Images;

public class ImageDecoderTests
{
    private readonly ImageDecoder _decoder = new();

    [Fact]
    public void PngPixelsComeOutExactlyAsRgbInRowOrder()
    {
        using var scratch = new ScratchFolder();
        using SKBitmap bitmap = TestImages.Bitmap(3, 2, (x, y) => new SKColor((byte)(10 + x), (byte)(100 + y), (byte)(200 + x + y)));
        string path = Write(scratch, "rgb.png", TestImages.Encode(bitmap, SKEncodedImageFormat.Png));

        DecodedImage image = _decoder.Decode(path);

        Assert.Equal((3, 2), (image.Width, image.Height));
        Assert.Equal(new byte[] { 10, 100, 200, 11, 100, 201, 12, 100, 202, 10, 101, 201, 11, 101, 202, 12, 101, 203 }, image.Rgb());
    }

    [Fact]
    public void GreyAndTransparentImagesBecomeRgb()
    {
        using var scratch = new ScratchFolder();
        using SKBitmap grey = TestImages.Bitmap(2, 1, (x, _) => new SKColor((byte)(50 + x), (byte)(50 + x), (byte)(50 + x)), SKColorType.Gray8, SKAlphaType.Opaque);
        using SKBitmap translucent = TestImages.Bitmap(1, 1, (_, _) => new SKColor(200, 100, 50, 128));

        DecodedImage greyImage = _decoder.Decode(Write(scratch, "grey.png", TestImages.Encode(grey, SKEncodedImageFormat.Png)));
        DecodedImage alphaImage = _decoder.Decode(Write(scratch, "alpha.png", TestImages.Encode(translucent, SKEncodedImageFormat.Png)));

        Assert.Equal(new byte[] { 50, 50, 50, 51, 51, 51 }, greyImage.Rgb());
        Assert.Equal(new byte[] { 200, 100, 50 }, alphaImage.Rgb()); // alpha dropped, colour not darkened
    }

    [Fact]
    public void AOneByOneImageIsAccepted()
    {
        using var scratch = new ScratchFolder();

        DecodedImage image = _decoder.Decode(TestImages.WritePng(scratch.PathOf("one.png"), 1, 1));

        Assert.Equal((1, 1, 3), (image.Width, image.Height, image.Rgb().Length));
    }

    [Theory]
    [InlineData(null, 800, 600)]
    [InlineData(100, 200, 150)] // 1/8 would leave a short side of 75 < 100; 1/4 leaves 150
    [InlineData(75, 100, 75)]
    [InlineData(600, 800, 600)]
    public void JpegsAreShrunkOnLoadOnlyAsFarAsTheTargetAllows(int? target, int width, int height)
    {
        using var scratch = new ScratchFolder();
        using SKBitmap bitmap = TestImages.Bitmap(800, 600, (x, y) => new SKColor((byte)x, (byte)y, 128));
        string path = Write(scratch, "big.jpg", TestImages.Encode(bitmap, SKEncodedImageFormat.Jpeg, 90));

        DecodedImage image = _decoder.Decode(path, target);

        Assert.Equal((width, height), (image.Width, image.Height));
    }

    [Fact]
    public void TheExifOrientationIsApplied()
    {
        // Stored 32x16, left half red; orientation 6 (rotate 90 degrees clockwise to view): upright 16x32, top half red.
        using var scratch = new ScratchFolder();
        using SKBitmap bitmap = TestImages.Bitmap(32, 16, (x, _) => x < 16 ? SKColors.Red : SKColors.Blue);
        byte[] jpeg = TestImages.WithExifOrientation(TestImages.Encode(bitmap, SKEncodedImageFormat.Jpeg, 95), 6);

        DecodedImage image = _decoder.Decode(Write(scratch, "rotated.jpg", jpeg));

        Assert.Equal((16, 32), (image.Width, image.Height));
        Assert.True(Red(image, 8, 4) > 200 && Blue(image, 8, 4) < 60, "top half red");
        Assert.True(Blue(image, 8, 28) > 200 && Red(image, 8, 28) < 60, "bottom half blue");
    }

    [Fact]
    public void AHugeImageIsRefusedFromItsHeaderBeforeDecoding()
    {
        using var scratch = new ScratchFolder();
        string path = Write(scratch, "bomb.png", TestImages.PngClaiming(20000, 20000));

        var error = Assert.Throws<CompatLabUserException>(() => _decoder.Decode(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("20000x20000", error.Message);
        Assert.Contains("limit", error.Message);
    }

    [Fact]
    public void TruncatedCorruptEmptyMissingAndUnsupportedFilesAreNamed()
    {
        using var scratch = new ScratchFolder();
        using SKBitmap bitmap = TestImages.Bitmap(64, 64, (x, y) => new SKColor((byte)(x * 3), (byte)(y * 3), (byte)(x ^ y)));
        byte[] png = TestImages.Encode(bitmap, SKEncodedImageFormat.Png);
        byte[] gif = [0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 1, 0, 1, 0, 0x80, 0, 0, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0x21, 0xF9, 4, 1, 0, 0, 0, 0, 0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x44, 1, 0, 0x3B];

        AssertRefused(Write(scratch, "cut.png", png[..(png.Length / 2)]), "cut short");
        AssertRefused(Write(scratch, "noise.jpg", Enumerable.Range(0, 300).Select(i => (byte)(i * 37)).ToArray()), "not a readable image");
        AssertRefused(Write(scratch, "empty.png", []), "empty");
        AssertRefused(scratch.PathOf("missing.png"), "cannot read");
        AssertRefused(Write(scratch, "animated.png", gif), "Gif images are not supported");
    }

    private static int Red(DecodedImage image, int x, int y) => image.Rgb()[((y * image.Width) + x) * 3];

    private static int Blue(DecodedImage image, int x, int y) => image.Rgb()[(((y * image.Width) + x) * 3) + 2];

    private static string Write(ScratchFolder scratch, string name, byte[] bytes)
    {
        string path = scratch.PathOf(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private void AssertRefused(string path, string reason)
    {
        var error = Assert.Throws<CompatLabUserException>(() => _decoder.Decode(path));
        Assert.Contains(path, error.Message);
        Assert.Contains(reason, error.Message);
    }
}
