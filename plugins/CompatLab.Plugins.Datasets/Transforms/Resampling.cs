using static TorchSharp.torch;

namespace CompatLab.Plugins.Datasets.Transforms;

/// <summary>
/// Bilinear resizing with antialiasing, as torchvision's Resize(antialias=True) on float tensors (the same libtorch
/// kernel: interpolate with antialias, align_corners false).
/// </summary>
public static class Resampling
{
    public static Tensor Resize(Tensor image, long height, long width)
    {
        if (image.shape[1] == height && image.shape[2] == width)
        {
            return image.alias();
        }

        using var batch = image.unsqueeze(0);
        using var resized = ResizeImages(batch, height, width);
        return resized.squeeze(0);
    }

    /// <summary>
    /// The same for images [N, C, h, w], always resampled (no alias when the size already fits). libtorch keeps the
    /// memory format: channels-last input (strides read as such, batch stride included) gives channels-last output.
    /// </summary>
    public static Tensor ResizeImages(Tensor images, long height, long width) =>
        nn.functional.interpolate(images, size: [height, width], mode: InterpolationMode.Bilinear, align_corners: false, antialias: true);

    /// <summary>The [top, top + height) x [left, left + width) window of the image.</summary>
    public static Tensor Crop(Tensor image, long top, long left, long height, long width) =>
        image.narrow(1, top, height).narrow(2, left, width);
}
