using static TorchSharp.torch;

namespace CompatLab.Plugins.Datasets.Transforms;

/// <summary>RandomHorizontalFlip(p) of torchvision: one draw per sample, flipped when it falls below p.</summary>
public sealed class HorizontalFlip(double probability) : ISampleTransform
{
    public Tensor Apply(Tensor image, SampleRandom? random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return Draw(random) ? image.flip(2) : image.alias();
    }

    /// <summary>The sample's draw: whether it is flipped.</summary>
    public bool Draw(SampleRandom random) => random.NextDouble() < probability;
}
