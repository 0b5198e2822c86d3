using CompatLab.Plugins.Datasets.Images;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Datasets.ImageSets;

internal static class PixelTensors
{
    /// <summary>float [3, H, W] in [0, 1] from height-width-channel uint8 pixels, as torchvision's ToTensor.</summary>
    public static Tensor ToFloat(DecodedImage image)
    {
        using var scope = NewDisposeScope();
        var bytes = tensor(image.Pixels, [image.Height, image.Width, 3]);
        return bytes.permute(2, 0, 1).to(ScalarType.Float32).div_(255).MoveToOuterDisposeScope();
    }
}
