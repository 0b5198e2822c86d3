using CompatLab.Abstractions;
using CompatLab.Abstractions.Data;
using CompatLab.Plugins.Datasets.ImageSets;
using CompatLab.Plugins.Datasets.Images;
using CompatLab.Tests.Support;
using SkiaSharp;
using Xunit;
using static TorchSharp.torch;

namespace CompatLab.Tests.Images;

/// <summary>
/// The TurboJPEG path of <see cref="ImageDecoder"/> against Skia's codec: pixels within rounding of each other, the
/// same sizes at every shrink-on-load scale, orientation, grey and CMYK files, and the same error for damaged data.
/// CI installs libturbojpeg0 (.ci/run), so these tests run the TurboJPEG path there.
/// </summary>
public class TurboJpegDecoderTests
{
    /// <summary>An Adobe CMYK JPEG written by PIL: 16x8, red left half, blue right half.</summary>
    private const string CmykJpeg =
        "/9j/7gAOQWRvYmUAZAAAAAAA/9sAQwACAQEBAQECAQEBAgICAgIEAwICAgIFBAQDBAYFBgYGBQYGBgcJCAYHCQcGBggLCAkKCgoKCgYICwwLCgwJCgoK/8AAFAgACAAQBEMRAE0RAFkRAEsRAP/EAB8AAAEFAQEBAQEBAAAAAAAAAAABAgMEBQYHCAkKC//EALUQAAIBAwMCBAMFBQQEAAABfQECAwAEEQUSITFBBhNRYQcicRQygZGhCCNCscEVUtHwJDNicoIJChYXGBkaJSYnKCkqNDU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6g4SFhoeIiYqSk5SVlpeYmZqio6Slpqeoqaqys7S1tre4ubrCw8TFxsfIycrS09TV1tfY2drh4uPk5ebn6Onq8fLz9PX29/j5+v/aAA4EQwBNAFkASwAAPwD9/K/n/r+f+v38r+AOiv7/ACiv/9k=";

    private readonly ImageDecoder _skia = new(jpeg: JpegDecoder.Skia);
    private readonly ImageDecoder _turbo = new(jpeg: JpegDecoder.TurboJpeg);

    [Fact]
    public void AutoChoosesTurboJpegWhereTheLibraryIsInstalled()
    {
        Assert.StartsWith("turbojpeg (", new ImageDecoder().JpegLibrary);
        Assert.Equal("skia", _skia.JpegLibrary);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(188)] // scale 1/2
    [InlineData(60)] // scale 1/4
    [InlineData(40)] // scale 1/8
    public void TurboJpegPixelsMatchSkiasWithinRoundingAtEveryScale(int? target)
    {
        using var scratch = new ScratchFolder();
        string path = Write(scratch, "photo.jpg", Photo(500, 375, SKColorType.Rgba8888));

        DecodedImage turbo = _turbo.Decode(path, target);
        DecodedImage skia = _skia.Decode(path, target);

        Assert.Equal((skia.Width, skia.Height), (turbo.Width, turbo.Height));
        Assert.Equal(3, turbo.Channels);
        Assert.InRange(MeanAbsoluteDifference(turbo, skia), 0, 2);
    }

    [Fact]
    public void TheExifOrientationIsAppliedToTurboJpegPixels()
    {
        // Stored 32x16, left half red; orientation 8 (rotate 90 degrees counter-clockwise to view): upright 16x32, bottom half red.
        using var scratch = new ScratchFolder();
        using SKBitmap bitmap = TestImages.Bitmap(32, 16, (x, _) => x < 16 ? SKColors.Red : SKColors.Blue);
        byte[] jpeg = TestImages.WithExifOrientation(TestImages.Encode(bitmap, SKEncodedImageFormat.Jpeg, 95), 8);
        string path = Write(scratch, "rotated.jpg", jpeg);

        DecodedImage image = _turbo.Decode(path);

        Assert.Equal((16, 32), (image.Width, image.Height));
        Assert.True(Pixel(image, 8, 28, 0) > 200 && Pixel(image, 8, 28, 2) < 60, "bottom half red");
        Assert.True(Pixel(image, 8, 4, 2) > 200 && Pixel(image, 8, 4, 0) < 60, "top half blue");
        Assert.Equal(_skia.Decode(path).Rgb(), image.Rgb());
    }

    [Fact]
    public void GreyJpegsComeOutAsRgbLikeSkias()
    {
        using var scratch = new ScratchFolder();
        string path = Write(scratch, "grey.jpg", Photo(120, 90, SKColorType.Gray8));

        DecodedImage turbo = _turbo.Decode(path);

        byte[] rgb = turbo.Rgb();
        Assert.All(Enumerable.Range(0, turbo.Width * turbo.Height), i => Assert.True(rgb[3 * i] == rgb[(3 * i) + 1] && rgb[3 * i] == rgb[(3 * i) + 2]));
        Assert.InRange(MeanAbsoluteDifference(turbo, _skia.Decode(path)), 0, 2);
    }

    [Fact]
    public void CmykJpegsAreDecodedAsSkiaDecodesThem()
    {
        using var scratch = new ScratchFolder();
        string path = Write(scratch, "cmyk.jpg", Convert.FromBase64String(CmykJpeg));

        DecodedImage image = _turbo.Decode(path);

        Assert.Equal((16, 8), (image.Width, image.Height));
        Assert.True(Pixel(image, 2, 2, 0) > 200 && Pixel(image, 2, 2, 2) < 60, "left half red");
        Assert.True(Pixel(image, 12, 2, 2) > 200 && Pixel(image, 12, 2, 0) < 60, "right half blue");
        Assert.Equal(_skia.Decode(path).Rgb(), image.Rgb());
    }

    [Fact]
    public void ADamagedJpegGivesTheSameErrorWithEitherDecoder()
    {
        using var scratch = new ScratchFolder();
        byte[] jpeg = Photo(200, 150, SKColorType.Rgba8888);
        string cut = Write(scratch, "cut.jpg", jpeg[..(jpeg.Length / 2)]);

        var turbo = Assert.Throws<CompatLabUserException>(() => _turbo.Decode(cut));
        var skia = Assert.Throws<CompatLabUserException>(() => _skia.Decode(cut));

        Assert.Equal(skia.Message, turbo.Message);
        Assert.Contains(cut, turbo.Message);
        Assert.Contains("cut short", turbo.Message);
    }

    [Fact]
    public void TheDecoderOptionReachesTheDatasetAndBothDecodersGiveTheSameBatches()
    {
        // A JPEG image folder loaded with decoder: skia and decoder: turbojpeg (as the config binder spells them).
        using var scratch = new ScratchFolder();
        for (int c = 0; c < 2; c++)
        {
            for (int i = 0; i < 3; i++)
            {
                Directory.CreateDirectory(scratch.PathOf($"c{c}"));
                File.WriteAllBytes(scratch.PathOf($"c{c}/i{i}.jpg"), Photo(60 + (10 * i), 45 + (5 * c), SKColorType.Rgba8888));
            }
        }

        using var scope = NewDisposeScope();
        Tensor LoadWith(JpegDecoder decoder)
        {
            var options = new ImageFolderOptions { Root = scratch.Root, ImageSize = 32, Workers = 2, TestFraction = 0.34, Decoder = decoder };
            using var bundle = new ImageFolderDataset(options).Load(new DatasetLoadContext(1));
            return bundle.TrainSet.Load([0, 1, 2, 3], new SamplePass(1, 0, true));
        }

        var skia = LoadWith(JpegDecoder.Skia);
        var turbo = LoadWith(JpegDecoder.TurboJpeg);

        Assert.True(skia.sub(turbo).abs().mean().item<float>() < 2.0 / 255 / 0.225, "mean difference within 2 levels after normalisation");
    }

    /// <summary>A JPEG (quality 90) with photo-like content: smooth gradients, edges and fine texture.</summary>
    private static byte[] Photo(int width, int height, SKColorType type)
    {
        using SKBitmap bitmap = TestImages.Bitmap(width, height, (x, y) => new SKColor(
            (byte)((x * 255 / width) ^ ((x * y) % 7)),
            (byte)(128 + (100 * Math.Sin(x / 9.0) * Math.Cos(y / 13.0))),
            (byte)(x + y < width / 2 ? 30 : 220)), type, SKAlphaType.Opaque);
        return TestImages.Encode(bitmap, SKEncodedImageFormat.Jpeg, 90);
    }

    private static double MeanAbsoluteDifference(DecodedImage a, DecodedImage b)
    {
        byte[] x = a.Rgb();
        byte[] y = b.Rgb();
        Assert.Equal(x.Length, y.Length);
        return x.Zip(y, (p, q) => Math.Abs(p - q)).Average();
    }

    private static int Pixel(DecodedImage image, int x, int y, int channel) => image.Rgb()[(((y * image.Width) + x) * 3) + channel];

    private static string Write(ScratchFolder scratch, string name, byte[] bytes)
    {
        string path = scratch.PathOf(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
