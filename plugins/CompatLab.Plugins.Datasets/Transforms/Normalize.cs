using static TorchSharp.torch;

namespace CompatLab.Plugins.Datasets.Transforms;

/// <summary>Normalize(mean, std) of torchvision: (image - mean[c]) / std[c] per channel.</summary>
public sealed class Normalize(double[] mean, double[] std) : ISampleTransform
{
    private readonly float[] scales = [.. std.Select(v => (float)(1 / (255 * v)))];
    private readonly float[] shifts = [.. mean.Zip(std, (m, s) => (float)(-m / s))];

    public Tensor Apply(Tensor image, SampleRandom? random)
    {
        using var means = tensor(mean.Select(v => (float)v).ToArray()).view(-1, 1, 1);
        using var stds = tensor(std.Select(v => (float)v).ToArray()).view(-1, 1, 1);
        return image.sub(means).div_(stds);
    }

    /// <summary>
    /// The same of uint8 pixels [3, H, W] (0-255), their conversion to [0, 1] folded in, written into
    /// <paramref name="into"/> (float [3, H, W]): pixel * (1 / (255 std[c])) - mean[c] / std[c], float rounding
    /// apart the values of converting first. Interleaved pixels (what resampling gives) go through one vectorised
    /// pass (<see cref="InterleavedPixels"/>); other layouts through libtorch in three passes over the floats
    /// (convert while copying, scale, shift), with the same results: an addcmul straight from uint8 took longer, its
    /// mixed types missing the vectorised kernel.
    /// </summary>
    public void FromBytes(Tensor bytes, Tensor into)
    {
        if (InterleavedPixels.TryNormalize(bytes, into, scales, shifts))
        {
            return;
        }

        using var scaleTensor = tensor(scales).view(-1, 1, 1);
        using var shiftTensor = tensor(shifts).view(-1, 1, 1);
        into.copy_(bytes).mul_(scaleTensor).add_(shiftTensor);
    }
}
