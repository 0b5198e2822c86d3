using CompatLab.Plugins.Datasets.ImageSets;
using CompatLab.Plugins.Datasets.Images;
using CompatLab.Plugins.Datasets.Transforms;
using Xunit;
using static TorchSharp.torch;

namespace CompatLab.Tests.Images;

/// <summary>The one-pass normalisation of interleaved bytes against libtorch's path, and the layout resampling gives it.</summary>
public class InterleavedPixelsTests
{
    private static readonly double[] Mean = [0.485, 0.456, 0.406];
    private static readonly double[] Std = [0.229, 0.224, 0.225];

    // uint8 [3, H, W] viewing H x W x 3 interleaved bytes, as resampling decoded pixels gives them.
    private static Tensor Interleaved(int height, int width, int seed)
    {
        var bytes = new byte[height * width * 3];
        new Random(seed).NextBytes(bytes);
        return tensor(bytes, ScalarType.Byte).view(height, width, 3).permute(2, 0, 1);
    }

    // What libtorch computes from the same bytes: convert, scale, shift (Normalize.FromBytes before the fast path).
    private static Tensor LibTorchPath(Tensor bytes)
    {
        using var scales = tensor(Std.Select(v => (float)(1 / (255 * v))).ToArray()).view(-1, 1, 1);
        using var shifts = tensor(Mean.Zip(Std, (m, s) => (float)(-m / s)).ToArray()).view(-1, 1, 1);
        return empty(bytes.shape, ScalarType.Float32).copy_(bytes).mul_(scales).add_(shifts);
    }

    private static Tensor FromBytes(Tensor bytes)
    {
        var into = empty(bytes.shape, ScalarType.Float32);
        new Normalize(Mean, Std).FromBytes(bytes, into);
        return into;
    }

    [Theory]
    [InlineData(224, 224)] // whole 16-pixel groups
    [InlineData(5, 37)] // two groups and a tail of five pixels a row
    [InlineData(3, 7)] // only the tail
    public void InterleavedBytesAreNormalisedBitForBitAsLibTorchDoes(int height, int width)
    {
        using var scope = NewDisposeScope();
        var bytes = Interleaved(height, width, height * width);

        Assert.True(InterleavedPixels.Fits(bytes, empty(bytes.shape, ScalarType.Float32)));
        Assert.True(FromBytes(bytes).equal(LibTorchPath(bytes)).all().item<bool>());

        var channelsLast = empty([height, width, 3], ScalarType.Float32).permute(2, 0, 1);
        Assert.True(InterleavedPixels.Fits(bytes, channelsLast));
        new Normalize(Mean, Std).FromBytes(bytes, channelsLast);
        Assert.True(channelsLast.equal(LibTorchPath(bytes)).all().item<bool>());
    }

    [Fact]
    public void CroppedAndFlippedWindowsKeepTheFastPathAndItsValues()
    {
        using var scope = NewDisposeScope();
        var bytes = Interleaved(40, 48, 3);
        var window = new CenterCrop(32).Apply(bytes, null); // rows longer than the window: a row stride of 48 pixels
        var flipped = new HorizontalFlip(1).Apply(bytes, new SampleRandom(1, 0, 0)); // libtorch keeps the layout

        foreach (var view in new[] { window, flipped })
        {
            Assert.True(InterleavedPixels.Fits(view, empty(view.shape, ScalarType.Float32)), string.Join(",", view.stride()) + " " + view.dtype);
            Assert.True(FromBytes(view).equal(LibTorchPath(view.contiguous())).all().item<bool>());
        }

        var flippedWindow = new HorizontalFlip(1).Apply(window, new SampleRandom(1, 0, 0)); // whichever path it takes
        Assert.True(FromBytes(flippedWindow).equal(LibTorchPath(window.flip(2).contiguous())).all().item<bool>());
    }

    [Fact]
    public void OtherLayoutsTakeLibTorchsPathWithTheSameValues()
    {
        using var scope = NewDisposeScope();
        var bytes = Interleaved(9, 20, 4);
        var planar = bytes.contiguous();
        var rgbx = cat([bytes.permute(1, 2, 0), zeros(9, 20, 1, ScalarType.Byte)], 2).permute(2, 0, 1).narrow(0, 0, 3);

        Assert.False(InterleavedPixels.Fits(planar, empty(planar.shape, ScalarType.Float32)));
        Assert.False(InterleavedPixels.Fits(rgbx, empty(rgbx.shape, ScalarType.Float32)));
        Assert.False(InterleavedPixels.Fits(bytes, empty([3, 20, 9], ScalarType.Float32)));
        Assert.False(InterleavedPixels.Fits(bytes, empty([3, 20, 9], ScalarType.Float32).permute(0, 2, 1))); // not contiguous
        Assert.True(FromBytes(planar).equal(FromBytes(bytes)).all().item<bool>());
        Assert.True(FromBytes(rgbx).equal(FromBytes(bytes)).all().item<bool>());
        Assert.Throws<ArgumentException>(() => InterleavedPixels.Normalize(planar, empty(planar.shape, ScalarType.Float32), [1, 1, 1], [0, 0, 0]));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    public void ResamplingGivesInterleavedPixelsWithTheValuesOfAPlanarResample(int channels)
    {
        using var scope = NewDisposeScope();
        var pixels = new byte[30 * 50 * channels];
        new Random(channels).NextBytes(pixels);
        var image = new DecodedImage(50, 30, pixels, channels);
        var planarWindow = tensor(pixels, ScalarType.Byte).view(30, 50, channels).permute(2, 0, 1).narrow(1, 2, 20).narrow(2, 5, 40).contiguous();
        var expected = nn.functional.interpolate(planarWindow.unsqueeze(0), size: [24, 24], mode: InterpolationMode.Bilinear, align_corners: false, antialias: true)
            .squeeze(0).narrow(0, 0, 3);

        var resampled = PixelTensors.Resample(image, 2, 5, 20, 40, 24, 24);

        Assert.Equal([3L, 24L, 24L], resampled.shape);
        Assert.Equal(1L, resampled.stride(0)); // channels interleaved
        Assert.True(resampled.equal(expected).all().item<bool>());
        var unresampled = PixelTensors.Resample(image, 2, 5, 20, 40, 20, 40); // nothing to resample: a copy
        Assert.True(unresampled.equal(planarWindow.narrow(0, 0, 3)).all().item<bool>());
        pixels[(2 * 50 * channels) + (5 * channels)] ^= 0xFF;
        Assert.True(unresampled.equal(planarWindow.narrow(0, 0, 3)).all().item<bool>()); // not a view of the image's array
    }
}
