using CompatLab.Plugins.Datasets.Images;
using CompatLab.Plugins.Datasets.Transforms;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Datasets.ImageSets;

/// <summary>The image the decoded cache stores: short side resized to the cache side, centre square, rounded back to uint8.</summary>
internal static class CentreSquare
{
    public static DecodedImage Of(DecodedImage image, int side)
    {
        using var scope = NewDisposeScope();
        var pixels = PixelTensors.ToFloat(image);
        var square = new CenterCrop(side).Apply(new ResizeShortSide(side).Apply(pixels, null), null);
        var bytes = square.mul(255).round_().clamp_(0, 255).to(ScalarType.Byte).permute(1, 2, 0).contiguous();
        return new DecodedImage(side, side, bytes.bytes.ToArray()); // one block copy, not value by value
    }
}
