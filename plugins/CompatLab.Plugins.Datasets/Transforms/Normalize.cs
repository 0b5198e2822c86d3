using static TorchSharp.torch;

namespace CompatLab.Plugins.Datasets.Transforms;

/// <summary>Normalize(mean, std) of torchvision: (image - mean[c]) / std[c] per channel.</summary>
public sealed class Normalize(double[] mean, double[] std) : ISampleTransform
{
    public Tensor Apply(Tensor image, SampleRandom? random)
    {
        using var means = tensor(mean.Select(v => (float)v).ToArray()).view(-1, 1, 1);
        using var stds = tensor(std.Select(v => (float)v).ToArray()).view(-1, 1, 1);
        return image.sub(means).div_(stds);
    }

    /// <summary>
    /// The same of uint8 pixels [3, H, W] (0-255), their conversion to [0, 1] folded in, written into
    /// <paramref name="into"/> (float [3, H, W]): pixel * (1 / (255 std[c])) - mean[c] / std[c], float rounding
    /// apart the values of converting first. Three passes over the floats (convert while copying, scale, shift)
    /// instead of five; an addcmul straight from uint8 took longer, its mixed types missing the vectorised kernel.
    /// </summary>
    public void FromBytes(Tensor bytes, Tensor into)
    {
        using var scales = tensor(std.Select(v => (float)(1 / (255 * v))).ToArray()).view(-1, 1, 1);
        using var shifts = tensor(mean.Zip(std, (m, s) => (float)(-m / s)).ToArray()).view(-1, 1, 1);
        into.copy_(bytes).mul_(scales).add_(shifts);
    }
}
