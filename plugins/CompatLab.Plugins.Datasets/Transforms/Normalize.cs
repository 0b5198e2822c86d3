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
}
