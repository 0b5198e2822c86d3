using static TorchSharp.torch;

namespace CompatLab.Plugins.Datasets.Transforms;

/// <summary>
/// ColorJitter(brightness, contrast, saturation) of torchvision on [0, 1] images: each factor is uniform in
/// [max(0, 1 - v), 1 + v]; brightness scales, contrast blends with the mean grey level, saturation blends with the
/// grey image (ITU-R 601 weights, as torchvision's rgb_to_grayscale), each clamped to [0, 1]. Unlike torchvision the
/// three are applied in this fixed order rather than a random one; a zero strength is skipped without a draw.
/// </summary>
public sealed class ColorJitter(double brightness, double contrast, double saturation) : ISampleTransform
{
    public Tensor Apply(Tensor image, SampleRandom? random)
    {
        ArgumentNullException.ThrowIfNull(random);
        using var scope = NewDisposeScope();
        var result = image;
        if (brightness > 0)
        {
            result = result.mul(Factor(brightness, random)).clamp_(0, 1);
        }

        if (contrast > 0)
        {
            double factor = Factor(contrast, random);
            var mean = Grey(result).mean();
            result = result.mul(factor).add_(mean.mul(1 - factor)).clamp_(0, 1);
        }

        if (saturation > 0)
        {
            double factor = Factor(saturation, random);
            result = result.mul(factor).add_(Grey(result).mul(1 - factor)).clamp_(0, 1);
        }

        return (ReferenceEquals(result, image) ? image.alias() : result).MoveToOuterDisposeScope();
    }

    private static double Factor(double strength, SampleRandom random) => random.Uniform(Math.Max(0, 1 - strength), 1 + strength);

    /// <summary>[1, H, W] grey levels.</summary>
    private static Tensor Grey(Tensor image) =>
        image[0].mul(0.2989).add_(image[1].mul(0.587)).add_(image[2].mul(0.114)).unsqueeze(0);
}
