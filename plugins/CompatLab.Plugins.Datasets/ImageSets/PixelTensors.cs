using CompatLab.Plugins.Datasets.Images;
using CompatLab.Plugins.Datasets.Transforms;
using CompatLab.Plugins.Datasets.Transforms.Bytes;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Datasets.ImageSets;

internal static class PixelTensors
{
    /// <summary>float [3, H, W] in [0, 1] from height-width-channel uint8 pixels, as torchvision's ToTensor.</summary>
    public static Tensor ToFloat(DecodedImage image)
    {
        using var scope = NewDisposeScope();
        var rgb = Bytes(image).squeeze(0).narrow(2, 0, 3);
        return rgb.permute(2, 0, 1).to(ScalarType.Float32).div_(255).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The window [top, top + cropHeight) x [left, left + cropWidth) resized to height x width (bilinear,
    /// antialiased) on the uint8 pixels: uint8 [3, height, width], its channels interleaved in memory (strides
    /// 1, C x width, C), not contiguous. Resampling before the float conversion is what PIL does in torchvision's
    /// reference pipeline; it moves a quarter of the bytes, and its pixels differ from resampling floats by under
    /// one level of 255 (the result is rounded to uint8). <paramref name="mirrored"/> flips the result left to right.
    /// Our own resampler (<see cref="ByteResampler"/>) does it where it can, libtorch otherwise: the same pixels.
    /// </summary>
    public static Tensor Resample(DecodedImage image, long top, long left, long cropHeight, long cropWidth, long height, long width, bool mirrored = false)
    {
        using var scope = NewDisposeScope();
        if ((cropHeight != height || cropWidth != width) && Resampled(image, top, left, cropHeight, cropWidth, height, width, mirrored) is { } ours)
        {
            return ours.MoveToOuterDisposeScope();
        }

        // All channels of the window, RGBX included: libtorch's vectorised uint8 kernel takes 3 or 4 interleaved
        // channels; the padding byte is dropped after resampling. The batch dimension keeps the stride of a whole
        // image, so libtorch sees channels-last input and resamples into channels-last output; squeezed from a
        // [C, h, w] view the batch stride would be C, the layout would read as planar, and the kernel would repack
        // every output pixel into planes one byte at a time (0.17 instead of 0.10 ms for a 224 x 224 sample).
        var window = Bytes(image).narrow(1, top, cropHeight).narrow(2, left, cropWidth).permute(0, 3, 1, 2);
        var resized = cropHeight == height && cropWidth == width
            ? window.clone() // nothing to resample; copied (clone copies even a 1 x 1 window), so the result does not pin the image's array
            : Resampling.ResizeImages(window, height, width);
        var pixels = resized.squeeze(0).narrow(0, 0, 3);
        return (mirrored ? pixels.flip(2) : pixels).MoveToOuterDisposeScope();
    }

    // The same pixels from ByteResampler, into a new [height, width, 3] viewed as [3, height, width]; null where it
    // cannot run (the caller then asks libtorch, which also names a window outside the image).
    private static unsafe Tensor? Resampled(DecodedImage image, long top, long left, long cropHeight, long cropWidth, long height, long width, bool mirrored)
    {
        bool inside = top >= 0 && left >= 0 && cropHeight > 0 && cropWidth > 0 && top + cropHeight <= image.Height && left + cropWidth <= image.Width;
        if (!inside || !ByteResampler.Supported || !TensorMemory.Available)
        {
            return null;
        }

        var pixels = empty([height, width, 3], ScalarType.Byte);
        bool done;
        fixed (byte* source = image.Pixels)
        {
            var memory = new PixelMemory(source, image.Pixels.Length, (long)image.Width * image.Channels, image.Channels);
            done = ByteResampler.TryResize(memory, (int)top, (int)left, (int)cropHeight, (int)cropWidth, (int)height, (int)width, mirrored, TensorMemory.Address<byte>(pixels), 3 * width);
        }

        GC.KeepAlive(pixels); // the loops held only its address
        return done ? pixels.permute(2, 0, 1) : null;
    }

    /// <summary>float [3, H, W] in [0, 1] from uint8 [3, H, W].</summary>
    public static Tensor ToUnit(Tensor bytes) => bytes.to(ScalarType.Float32).div_(255);

    // The image's own array as uint8 [1, H, W, C]: no copy (a copy of a 500x375 image cost about 0.15 ms); the
    // tensor pins the array until it is disposed.
    private static Tensor Bytes(DecodedImage image) =>
        frombuffer(image.Pixels, ScalarType.Byte).view(1, image.Height, image.Width, image.Channels);
}
