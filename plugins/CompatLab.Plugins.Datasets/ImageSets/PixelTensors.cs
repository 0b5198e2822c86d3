using CompatLab.Plugins.Datasets.Images;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Datasets.ImageSets;

internal static class PixelTensors
{
    /// <summary>float [3, H, W] in [0, 1] from height-width-channel uint8 pixels, as torchvision's ToTensor.</summary>
    public static Tensor ToFloat(DecodedImage image) => ToFloat(image, 0, 0, image.Height, image.Width);

    /// <summary>
    /// float [3, height, width] in [0, 1] of the window [top, top + height) x [left, left + width): the same values
    /// as the window of <see cref="ToFloat(DecodedImage)"/> (the conversion is per pixel), without converting the
    /// rest of the image. The float tensor keeps the channels-last memory order a whole-image conversion has.
    /// </summary>
    public static Tensor ToFloat(DecodedImage image, long top, long left, long height, long width)
    {
        using var scope = NewDisposeScope();
        var bytes = tensor(image.Pixels, [image.Height, image.Width, image.Channels]);
        bool whole = top == 0 && left == 0 && height == image.Height && width == image.Width && image.Channels == 3;
        var window = whole ? bytes : bytes.narrow(0, top, height).narrow(1, left, width).narrow(2, 0, 3).contiguous();
        return window.permute(2, 0, 1).to(ScalarType.Float32).div_(255).MoveToOuterDisposeScope();
    }
}
