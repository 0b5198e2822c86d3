using CompatLab.Abstractions.Data;
using CompatLab.Plugins.Datasets.ImageSets;
using CompatLab.Plugins.Datasets.Images;
using CompatLab.Plugins.Datasets.Transforms;
using Xunit;
using static TorchSharp.torch;

namespace CompatLab.Tests.Images;

public class ImageTransformTests
{
    private static Tensor Ramp(int height, int width) =>
        arange(3 * height * width, dtype: ScalarType.Float32).div_(3 * height * width).view(3, height, width);

    [Fact]
    public void EvaluationResizesTheShortSideCropsTheCentreAndNormalises()
    {
        using var scope = NewDisposeScope();
        var options = new ImageTransformOptions { Mean = [0.5, 0.5, 0.5], Std = [0.5, 0.5, 0.5] };
        var pipeline = new ImageTransformPipeline(4, 6, options);

        var sample = pipeline.Apply(Ramp(12, 18), SamplePass.Evaluation, 0);

        Assert.Equal([3L, 4L, 4L], sample.shape);
        var expected = new CenterCrop(4).Apply(new ResizeShortSide(6).Apply(Ramp(12, 18), null), null).sub(0.5).div(0.5);
        Assert.True(sample.allclose(expected));
        Assert.Equal((6L, 9L), ResizeShortSide.SizeFor(12, 18, 6)); // torchvision: long side int(6 * 18 / 12)
    }

    [Fact]
    public void AugmentationDependsOnlyOnSeedEpochAndSampleIndex()
    {
        using var scope = NewDisposeScope();
        var options = new ImageTransformOptions { Brightness = 0.5, Contrast = 0.5, Saturation = 0.5, Erasing = 1 };
        var pipeline = new ImageTransformPipeline(8, 8, options);
        var image = Ramp(16, 20);

        var first = pipeline.Apply(image, new SamplePass(1, 0, true), 7);

        Assert.True(first.equal(pipeline.Apply(image, new SamplePass(1, 0, true), 7)).all().item<bool>());
        Assert.False(first.equal(pipeline.Apply(image, new SamplePass(1, 1, true), 7)).all().item<bool>());
        Assert.False(first.equal(pipeline.Apply(image, new SamplePass(1, 0, true), 8)).all().item<bool>());
        Assert.False(first.equal(pipeline.Apply(image, new SamplePass(2, 0, true), 7)).all().item<bool>());
    }

    [Fact]
    public void RandomResizedCropWindowsFitTheImageAndFollowScaleAndRatio()
    {
        var crop = new RandomResizedCrop(8, [0.25, 0.5], [0.75, 4.0 / 3.0]);
        for (int index = 0; index < 200; index++)
        {
            var (top, left, height, width) = crop.Window(30, 40, new SampleRandom(1, 0, index));
            Assert.InRange(top, 0, 30 - height);
            Assert.InRange(left, 0, 40 - width);
            Assert.InRange(height * width, 0.2 * 1200, 0.55 * 1200); // rounding of the sides widens the range a little
        }
    }

    [Fact]
    public void AFlipMirrorsAndErasingZeroesARectangle()
    {
        using var scope = NewDisposeScope();
        var image = Ramp(6, 8);

        var flipped = new HorizontalFlip(1).Apply(image, new SampleRandom(1, 0, 0));
        var erased = new RandomErasing(1, [0.1, 0.2], [0.5, 2]).Apply(image.add(1), new SampleRandom(1, 0, 0));

        Assert.True(flipped.equal(image.flip(2)).all().item<bool>());
        long zeros = erased.eq(0).sum().item<long>();
        Assert.InRange(zeros, 3 * 0.05 * 48, 3 * 0.3 * 48);
        Assert.Equal(0, zeros % 3); // the same rectangle in every channel
    }

    [Fact]
    public void ColourJitterKeepsPixelsInRangeAndZeroStrengthsChangeNothing()
    {
        using var scope = NewDisposeScope();
        var image = Ramp(5, 5);

        var jittered = new ColorJitter(0.9, 0.9, 0.9).Apply(image, new SampleRandom(3, 0, 1));
        var unchanged = new ColorJitter(0, 0, 0).Apply(image, new SampleRandom(3, 0, 1));

        Assert.True(jittered.min().item<float>() >= 0 && jittered.max().item<float>() <= 1);
        Assert.True(unchanged.equal(image).all().item<bool>());
    }

    [Fact]
    public void DecodedRgbxPixelsGiveTheSamplesOfTheirRgbPixels()
    {
        // Decoders may hand over RGBX; the padding byte must not reach the samples, in training or evaluation.
        using var scope = NewDisposeScope();
        var rgbx = RandomImage(4);
        var rgb = new DecodedImage(rgbx.Width, rgbx.Height, rgbx.Rgb());
        var pipeline = new ImageTransformPipeline(224, 256, new ImageTransformOptions());

        foreach (var pass in new[] { new SamplePass(3, 1, true), SamplePass.Evaluation })
        {
            for (long index = 0; index < 8; index++)
            {
                Assert.True(pipeline.Apply(rgbx, pass, index).equal(pipeline.Apply(rgb, pass, index)).all().item<bool>(), $"sample {index}, augment {pass.Augment}");
            }
        }
    }

    [Fact]
    public void ResamplingDecodedPixelsStaysWithinOneLevelOfResamplingTheirFloats()
    {
        // Decoded images are resized in uint8 (as PIL does) before the float conversion; the samples must stay within
        // one level of 255 of the float path's, i.e. 1/255 divided by the normalisation's smallest std.
        using var scope = NewDisposeScope();
        var image = RandomImage(3);
        using var floats = PixelTensors.ToFloat(image);
        var options = new ImageTransformOptions();
        var pipeline = new ImageTransformPipeline(224, 256, options);
        double tolerance = 1.0 / 255 / options.Std.Min() + 1e-5;

        foreach (var pass in new[] { new SamplePass(3, 1, true), SamplePass.Evaluation })
        {
            for (long index = 0; index < 8; index++)
            {
                double difference = pipeline.Apply(image, pass, index).sub(pipeline.Apply(floats, pass, index)).abs().max().item<float>();
                Assert.True(difference <= tolerance, $"sample {index}, augment {pass.Augment}: {difference} > {tolerance}");
            }
        }
    }

    [Fact]
    public void WithColourJitterAndErasingDecodedPixelsStayCloseToTheFloatPath()
    {
        // Jitter makes the bytes float before it (it needs [0, 1]); erasing runs on the normalised batch slot. Both
        // must draw their randomness in the float path's order: the same rectangles erased, pixels close.
        using var scope = NewDisposeScope();
        var image = RandomImage(3);
        using var floats = PixelTensors.ToFloat(image);
        var options = new ImageTransformOptions { Brightness = 0.4, Contrast = 0.4, Saturation = 0.4, Erasing = 0.7 };
        var pipeline = new ImageTransformPipeline(224, 256, options);
        double tolerance = 3.0 / 255 / options.Std.Min(); // one level of 255, amplified by at most three 1.4x factors

        for (long index = 0; index < 8; index++)
        {
            var fromBytes = pipeline.Apply(image, new SamplePass(3, 1, true), index);
            var fromFloats = pipeline.Apply(floats, new SamplePass(3, 1, true), index);
            Assert.True(fromBytes.eq(0).equal(fromFloats.eq(0)).all().item<bool>(), $"sample {index}: erased elsewhere");
            double difference = fromBytes.sub(fromFloats).abs().max().item<float>();
            Assert.True(difference <= tolerance, $"sample {index}: {difference} > {tolerance}");
        }
    }

    private static DecodedImage RandomImage(int channels)
    {
        var pixels = new byte[375 * 500 * channels];
        new Random(5).NextBytes(pixels);
        return new DecodedImage(500, 375, pixels, channels);
    }
}
