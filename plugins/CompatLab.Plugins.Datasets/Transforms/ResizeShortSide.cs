using static TorchSharp.torch;

namespace CompatLab.Plugins.Datasets.Transforms;

/// <summary>Resize(side) of torchvision: the short side becomes <paramref name="side"/>, the long side keeps the aspect (truncated).</summary>
public sealed class ResizeShortSide(int side) : ISampleTransform
{
    public int Side => side;

    public Tensor Apply(Tensor image, SampleRandom? random)
    {
        var (height, width) = SizeFor(image.shape[1], image.shape[2], side);
        return Resampling.Resize(image, height, width);
    }

    public static (long Height, long Width) SizeFor(long height, long width, long side) =>
        height <= width ? (side, (long)(side * (double)width / height)) : ((long)(side * (double)height / width), side);
}
