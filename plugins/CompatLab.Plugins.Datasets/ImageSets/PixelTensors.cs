using CompatLab.Plugins.Datasets.Images;
using CompatLab.Plugins.Datasets.Transforms;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Datasets.ImageSets;

internal static class PixelTensors
{
    /// <summary>float [3, H, W] in [0, 1] from height-width-channel uint8 pixels, as torchvision's ToTensor.</summary>
    public static Tensor ToFloat(DecodedImage image)
    {
        using var scope = NewDisposeScope();
        var rgb = Bytes(image).narrow(2, 0, 3);
        return rgb.permute(2, 0, 1).to(ScalarType.Float32).div_(255).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The window [top, top + cropHeight) x [left, left + cropWidth) resized to height x width (bilinear,
    /// antialiased) on the uint8 pixels: uint8 [3, height, width]. Resampling before the float conversion is what PIL
    /// does in torchvision's reference pipeline; it moves a quarter of the bytes, and its pixels differ from
    /// resampling floats by under one level of 255 (the result is rounded to uint8).
    /// </summary>
    public static Tensor Resample(DecodedImage image, long top, long left, long cropHeight, long cropWidth, long height, long width)
    {
        using var scope = NewDisposeScope();
        // All channels of the window, RGBX included: libtorch's vectorised uint8 kernel takes 3 or 4 interleaved
        // channels; the padding byte is dropped after resampling.
        var window = Bytes(image).narrow(0, top, cropHeight).narrow(1, left, cropWidth).permute(2, 0, 1);
        return Resampling.Resize(window, height, width).narrow(0, 0, 3).contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>float [3, H, W] in [0, 1] from uint8 [3, H, W].</summary>
    public static Tensor ToUnit(Tensor bytes) => bytes.to(ScalarType.Float32).div_(255);

    // The image's own array as uint8 [H, W, C]: no copy (a copy of a 500x375 image cost about 0.15 ms); the tensor
    // pins the array until it is disposed.
    private static Tensor Bytes(DecodedImage image) =>
        frombuffer(image.Pixels, ScalarType.Byte).view(image.Height, image.Width, image.Channels);
}
