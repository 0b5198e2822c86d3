using CompatLab.Plugins.Datasets.ImageSets;
using CompatLab.Plugins.Datasets.Images;
using CompatLab.Plugins.Datasets.Transforms;
using CompatLab.Plugins.Datasets.Transforms.Bytes;
using Xunit;
using static TorchSharp.torch;

namespace CompatLab.Tests.Images;

/// <summary>Our uint8 resampling against libtorch's interpolate (bilinear, antialiased) on the same window: equal bit for bit.</summary>
public unsafe class ByteResamplerTests
{
    // Noise in the low bits over smooth gradients: both rounding and the weights' sums are exercised.
    private static DecodedImage Image(int height, int width, int channels, int seed)
    {
        var random = new Random(seed);
        var pixels = new byte[height * width * channels];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                for (int c = 0; c < channels; c++)
                {
                    int smooth = ((x * (c + 1) * 7) + (y * 3)) % 256;
                    pixels[(((y * width) + x) * channels) + c] = (byte)Math.Clamp(smooth + random.Next(-40, 41), 0, 255);
                }
            }
        }

        return new DecodedImage(width, height, pixels, channels);
    }

    private static Tensor LibTorch(DecodedImage image, int top, int left, int cropHeight, int cropWidth, int height, int width)
    {
        var window = tensor(image.Pixels, ScalarType.Byte).view(1, image.Height, image.Width, image.Channels)
            .narrow(1, top, cropHeight).narrow(2, left, cropWidth).permute(0, 3, 1, 2);
        return Resampling.ResizeImages(window, height, width).squeeze(0).narrow(0, 0, 3);
    }

    private static void AssertSame(DecodedImage image, int top, int left, int cropHeight, int cropWidth, int height, int width, bool mirrored = false)
    {
        using var scope = NewDisposeScope();
        var ours = PixelTensors.Resample(image, top, left, cropHeight, cropWidth, height, width, mirrored);
        var theirs = LibTorch(image, top, left, cropHeight, cropWidth, height, width);
        theirs = mirrored ? theirs.flip(2) : theirs;
        Assert.Equal(theirs.shape, ours.shape);
        long differing = ours.ne(theirs).sum().item<long>();
        Assert.True(differing == 0, $"{differing} of {ours.numel()} bytes differ from libtorch's for window {cropHeight}x{cropWidth} at ({top}, {left}) of a {image.Height}x{image.Width}x{image.Channels} image resized to {height}x{width}{(mirrored ? ", flipped" : "")}");
    }

    [Theory]
    [InlineData(256, 256, 3, 30, 40, 180, 150, 224, 224)] // the cache's square, upsampled on both axes
    [InlineData(256, 256, 3, 0, 0, 256, 256, 224, 224)] // the whole square, shrunk a little
    [InlineData(375, 500, 3, 10, 20, 350, 420, 224, 224)] // a decoded tile, shrunk about 2x across
    [InlineData(375, 500, 4, 5, 7, 300, 251, 224, 224)] // RGBX pixels
    [InlineData(100, 120, 3, 0, 0, 100, 120, 224, 224)] // a small image grown
    [InlineData(64, 300, 3, 3, 5, 50, 224, 224, 224)] // only one axis resampled
    [InlineData(64, 300, 4, 0, 1, 64, 224, 37, 224)] // only the other one
    [InlineData(40, 40, 3, 0, 0, 40, 40, 9, 7)] // a narrow output
    [InlineData(256, 341, 3, 0, 0, 256, 341, 256, 341)] // identity
    [InlineData(375, 500, 3, 0, 0, 375, 500, 256, 341)] // the evaluation's short-side resize
    public void ResizesAsLibTorchDoes(int imageHeight, int imageWidth, int channels, int top, int left, int cropHeight, int cropWidth, int height, int width) =>
        AssertSame(Image(imageHeight, imageWidth, channels, imageHeight + cropWidth), top, left, cropHeight, cropWidth, height, width);

    [Fact]
    public void RandomResizedCropsOfCacheSquaresAndTilesMatchLibTorch()
    {
        var crop = new RandomResizedCrop(224, [0.08, 1.0], [3.0 / 4, 4.0 / 3]);
        var images = new[] { Image(256, 256, 3, 1), Image(375, 500, 3, 2), Image(375, 500, 4, 3), Image(500, 333, 3, 4) };
        for (int sample = 0; sample < 200; sample++)
        {
            var image = images[sample % images.Length];
            var (top, left, height, width) = crop.Window(image.Height, image.Width, new SampleRandom(7, 0, sample));
            AssertSame(image, top, left, height, width, 224, 224, mirrored: sample % 3 == 0);
        }
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    public void MirroredPlansFlipTheResampledRows(int channels)
    {
        var image = Image(120, 150, channels, 9);
        AssertSame(image, 4, 6, 100, 131, 224, 224, mirrored: true); // grown
        AssertSame(image, 0, 0, 120, 150, 61, 97, mirrored: true); // shrunk, with groups of fewer pixels
        AssertSame(image, 0, 0, 120, 150, 120, 150, mirrored: true); // copied: libtorch's path flips
    }

    [Fact]
    public void StrongShrinkingLoadsEachPairOfTapsOnItsOwn()
    {
        var tenth = ResampleAxis.For(1000, 100); // up to 20 taps an output pixel: 60 bytes, more than one load
        Assert.Equal(10, tenth.Plan(3).Pairs);
        AssertSame(Image(300, 1000, 3, 5), 0, 0, 300, 1000, 100, 100);
        AssertSame(Image(300, 1000, 4, 6), 0, 0, 300, 1000, 30, 100, mirrored: true);
    }

    [Fact]
    public void OutputsTooNarrowForItsBlocksAreLibTorchs()
    {
        using var scope = NewDisposeScope();
        var image = Image(40, 40, 3, 8);
        var into = new byte[9 * 10 * 3];
        fixed (byte* pixels = image.Pixels)
        fixed (byte* target = into)
        {
            var memory = new PixelMemory(pixels, image.Pixels.Length, 40 * 3, 3);
            Assert.False(ByteResampler.TryResize(memory, 0, 0, 40, 40, 9, 10, false, target, 30)); // 30 bytes a row, under one 32-byte block
        }

        AssertSame(image, 0, 0, 40, 40, 9, 10);
    }

    [Fact]
    public void AxisWeightsAreThoseOfLibTorchsIntegerScheme()
    {
        var identity = ResampleAxis.For(10, 10);
        Assert.Equal(14, identity.Precision); // the largest weight is 1: the most bits that keep 2 x 2^14 under 2^15
        Assert.All(Enumerable.Range(0, 10), i => Assert.Equal((short)(1 << 14), identity.Weights[i * identity.Taps]));
        Assert.Same(identity, ResampleAxis.For(10, 10));

        // Halving: the triangle widens to two input pixels each side of the centre, cut at the edges (3, 3, 1 parts).
        var half = ResampleAxis.For(4, 2);
        Assert.Equal([0, 1], half.Start);
        Assert.Equal([3, 3], half.Count);
        Assert.Equal(half.Weights[0], half.Weights[1]);
        Assert.Equal(half.Weights[0], 3 * half.Weights[2], 1.0);
    }
}
