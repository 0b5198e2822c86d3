using CompatLab.Abstractions.Data;
using CompatLab.Plugins.Datasets.ImageSets;
using CompatLab.Plugins.Datasets.Images;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Datasets.Transforms;

/// <summary>
/// Turns a decoded image into the float [3, size, size] sample: for training (pass.Augment) random-resized crop (or
/// resize and centre crop), flip, colour jitter, normalisation and random erasing; for evaluation only the
/// deterministic resize, centre crop and normalisation. Steps that are switched off are left out.
/// </summary>
public sealed class ImageTransformPipeline
{
    private readonly IReadOnlyList<ISampleTransform> training;
    private readonly IReadOnlyList<ISampleTransform> evaluation;

    public ImageTransformPipeline(int imageSize, int resizeShortSide, ImageTransformOptions options)
    {
        ImageSize = imageSize;
        ChannelsLast = options.ChannelsLast;
        var normalize = new Normalize(options.Mean, options.Std);
        ISampleTransform[] centred = [new ResizeShortSide(resizeShortSide), new CenterCrop(imageSize)];
        evaluation = [.. centred, normalize];

        var steps = new List<ISampleTransform>();
        steps.AddRange(options.RandomResizedCrop ? [new RandomResizedCrop(imageSize, options.Scale, options.Ratio)] : centred);
        if (options.HorizontalFlip > 0)
        {
            steps.Add(new HorizontalFlip(options.HorizontalFlip));
        }

        if (options.Brightness > 0 || options.Contrast > 0 || options.Saturation > 0)
        {
            steps.Add(new ColorJitter(options.Brightness, options.Contrast, options.Saturation));
        }

        steps.Add(normalize);
        if (options.Erasing > 0)
        {
            steps.Add(new RandomErasing(options.Erasing, options.ErasingScale, options.ErasingRatio));
        }

        training = steps;
    }

    public int ImageSize { get; }

    /// <summary>Whether batches hold their channels innermost in memory (the same values; see <see cref="NewBatch"/>).</summary>
    public bool ChannelsLast { get; }

    /// <summary>
    /// An uninitialised float [count, 3, S, S] for <see cref="Write"/> to fill, in the caller's dispose scope: contiguous,
    /// or with channels-last set, a permuted view of a contiguous [count, S, S, 3] (channels-last memory format).
    /// </summary>
    public Tensor NewBatch(long count)
    {
        if (!ChannelsLast)
        {
            return empty([count, 3, ImageSize, ImageSize], ScalarType.Float32);
        }

        using var pixels = empty([count, ImageSize, ImageSize, 3], ScalarType.Float32);
        return pixels.permute(0, 3, 1, 2);
    }

    /// <summary>
    /// <paramref name="image"/>: float [3, H, W] in [0, 1]; <paramref name="sampleIndex"/> seeds the sample's
    /// randomness together with the pass. The result is made in the caller's dispose scope.
    /// </summary>
    public Tensor Apply(Tensor image, SamplePass pass, long sampleIndex)
    {
        using var scope = NewDisposeScope();
        var steps = pass.Augment ? training : evaluation;
        return Continue(image, steps, 0, Random(pass, sampleIndex)).contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>The same from decoded uint8 pixels (<see cref="Write"/>), as a new tensor in the caller's dispose scope.</summary>
    public Tensor Apply(DecodedImage image, SamplePass pass, long sampleIndex)
    {
        using var batch = NewBatch(1);
        var sample = batch.squeeze(0);
        Write(image, pass, sampleIndex, sample);
        return sample;
    }

    /// <summary>
    /// Writes the sample of decoded uint8 pixels into <paramref name="into"/> (float [3, S, S], e.g. a batch slot).
    /// The first step (random-resized crop, or the short-side resize) resamples the uint8 pixels of its window
    /// (<see cref="PixelTensors.Resample"/>), the geometric steps after it (flip, centre crop) move bytes too, and the
    /// conversion to float happens in the normalisation's pass into the output when nothing comes between them.
    /// </summary>
    public void Write(DecodedImage image, SamplePass pass, long sampleIndex, Tensor into)
    {
        using var scope = NewDisposeScope();
        var steps = pass.Augment ? training : evaluation;
        var random = Random(pass, sampleIndex);
        // A flip right after the random crop is done by its resampling (only training passes crop at random, and
        // they have a stream).
        var flip = steps[0] is RandomResizedCrop && steps.Count > 1 ? steps[1] as HorizontalFlip : null;
        var bytes = steps[0] switch
        {
            RandomResizedCrop crop => crop.Apply(image, random!, flip),
            ResizeShortSide resize => resize.Apply(image),
            _ => throw new InvalidOperationException($"a pass starts with a resampling step, not {steps[0].GetType().Name}"),
        };

        int next = flip is null ? 1 : 2;
        for (; next < steps.Count && steps[next] is HorizontalFlip or CenterCrop; next++)
        {
            bytes = steps[next].Apply(bytes, random); // exact on bytes: they only move pixels
        }

        // Normalize is in every pass, after every geometric step, so steps[next] exists.
        if (steps[next] is Normalize normalize)
        {
            normalize.FromBytes(bytes, into);
            if (next + 1 < steps.Count)
            {
                into.copy_(Continue(into, steps, next + 1, random));
            }

            return;
        }

        into.copy_(Continue(PixelTensors.ToUnit(bytes), steps, next, random));
    }

    private static SampleRandom? Random(SamplePass pass, long sampleIndex) =>
        pass.Augment ? new SampleRandom(pass.Seed, pass.Epoch, sampleIndex) : null;

    // Runs steps[first..] on image, in the caller's dispose scope.
    private static Tensor Continue(Tensor image, IReadOnlyList<ISampleTransform> steps, int first, SampleRandom? random)
    {
        var result = image;
        foreach (var step in steps.Skip(first))
        {
            result = step.Apply(result, random);
        }

        return result;
    }
}
