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

    /// <summary>
    /// <paramref name="image"/>: float [3, H, W] in [0, 1]; <paramref name="sampleIndex"/> seeds the sample's
    /// randomness together with the pass. The result is made in the caller's dispose scope.
    /// </summary>
    public Tensor Apply(Tensor image, SamplePass pass, long sampleIndex)
    {
        using var scope = NewDisposeScope();
        return Continue(image, pass.Augment ? training : evaluation, 0, Random(pass, sampleIndex));
    }

    /// <summary>
    /// The same from decoded uint8 pixels. When the pass starts with a random-resized crop, only the crop window is
    /// converted to float (the values are those of converting the whole image first).
    /// </summary>
    public Tensor Apply(DecodedImage image, SamplePass pass, long sampleIndex)
    {
        using var scope = NewDisposeScope();
        var steps = pass.Augment ? training : evaluation;
        var random = Random(pass, sampleIndex);
        return steps[0] is RandomResizedCrop crop && random is not null
            ? Continue(crop.Apply(image, random), steps, 1, random)
            : Continue(PixelTensors.ToFloat(image), steps, 0, random);
    }

    private static SampleRandom? Random(SamplePass pass, long sampleIndex) =>
        pass.Augment ? new SampleRandom(pass.Seed, pass.Epoch, sampleIndex) : null;

    // Runs steps[first..] on image; the result leaves the caller's scope for the scope around it.
    private static Tensor Continue(Tensor image, IReadOnlyList<ISampleTransform> steps, int first, SampleRandom? random)
    {
        var result = image;
        foreach (var step in steps.Skip(first))
        {
            result = step.Apply(result, random);
        }

        return result.contiguous().MoveToOuterDisposeScope();
    }
}
