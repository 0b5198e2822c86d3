using CompatLab.Plugins.Datasets.ImageSets;
using CompatLab.Plugins.Datasets.Images;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Datasets.Transforms;

/// <summary>
/// RandomResizedCrop(size, scale, ratio) of torchvision: ten tries at a window of a random share of the area and
/// log-uniform aspect ratio, else the centred window of the nearest allowed ratio; the window is resized to
/// size x size.
/// </summary>
public sealed class RandomResizedCrop(int size, double[] scale, double[] ratio) : ISampleTransform
{
    private const int Tries = 10;

    public Tensor Apply(Tensor image, SampleRandom? random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var (top, left, height, width) = Window((int)image.shape[1], (int)image.shape[2], random);
        using var window = Resampling.Crop(image, top, left, height, width);
        return Resampling.Resize(window, size, size).contiguous();
    }

    /// <summary>
    /// The same crop of decoded uint8 pixels, resampled before the float conversion
    /// (<see cref="PixelTensors.Resample"/>): uint8 [3, size, size]. A <paramref name="flip"/> step right after the
    /// crop draws after the window, as it would on its own, and is done by the resampling.
    /// </summary>
    public Tensor Apply(DecodedImage image, SampleRandom random, HorizontalFlip? flip = null)
    {
        var (top, left, height, width) = Window(image.Height, image.Width, random);
        bool mirrored = flip?.Draw(random) ?? false;
        return PixelTensors.Resample(image, top, left, height, width, size, size, mirrored);
    }

    public (int Top, int Left, int Height, int Width) Window(int imageHeight, int imageWidth, SampleRandom random)
    {
        double area = (double)imageHeight * imageWidth;
        double logLow = Math.Log(ratio[0]);
        double logHigh = Math.Log(ratio[1]);
        for (int attempt = 0; attempt < Tries; attempt++)
        {
            double targetArea = area * random.Uniform(scale[0], scale[1]);
            double aspect = Math.Exp(random.Uniform(logLow, logHigh));
            int width = (int)Math.Round(Math.Sqrt(targetArea * aspect), MidpointRounding.ToEven);
            int height = (int)Math.Round(Math.Sqrt(targetArea / aspect), MidpointRounding.ToEven);
            if (width > 0 && width <= imageWidth && height > 0 && height <= imageHeight)
            {
                return (random.Integer(0, imageHeight - height + 1), random.Integer(0, imageWidth - width + 1), height, width);
            }
        }

        return CentralFallback(imageHeight, imageWidth);
    }

    private (int Top, int Left, int Height, int Width) CentralFallback(int imageHeight, int imageWidth)
    {
        double inRatio = (double)imageWidth / imageHeight;
        int width = imageWidth;
        int height = imageHeight;
        if (inRatio < ratio[0])
        {
            height = (int)Math.Round(width / ratio[0], MidpointRounding.ToEven);
        }
        else if (inRatio > ratio[1])
        {
            width = (int)Math.Round(height * ratio[1], MidpointRounding.ToEven);
        }

        return ((imageHeight - height) / 2, (imageWidth - width) / 2, height, width);
    }
}
