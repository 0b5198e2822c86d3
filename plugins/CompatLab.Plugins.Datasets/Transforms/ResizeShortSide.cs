using CompatLab.Plugins.Datasets.ImageSets;
using CompatLab.Plugins.Datasets.Images;
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

    /// <summary>The same of decoded uint8 pixels, resampled before the float conversion: uint8 [3, h, w].</summary>
    public Tensor Apply(DecodedImage image)
    {
        var (height, width) = SizeFor(image.Height, image.Width, side);
        return PixelTensors.Resample(image, 0, 0, image.Height, image.Width, height, width);
    }

    public static (long Height, long Width) SizeFor(long height, long width, long side) =>
        height <= width ? (side, (long)(side * (double)width / height)) : ((long)(side * (double)height / width), side);
}
