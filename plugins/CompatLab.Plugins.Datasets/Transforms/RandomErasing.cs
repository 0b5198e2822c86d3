using static TorchSharp.torch;

namespace CompatLab.Plugins.Datasets.Transforms;

/// <summary>
/// RandomErasing(p, scale, ratio, value=0) of torchvision, after normalisation: with probability p, ten tries at a
/// rectangle of a random share of the area and log-uniform aspect ratio that fits; it is set to 0.
/// </summary>
public sealed class RandomErasing(double probability, double[] scale, double[] ratio) : ISampleTransform
{
    private const int Tries = 10;

    public Tensor Apply(Tensor image, SampleRandom? random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (random.NextDouble() >= probability)
        {
            return image.alias();
        }

        int imageHeight = (int)image.shape[1];
        int imageWidth = (int)image.shape[2];
        double area = (double)imageHeight * imageWidth;
        for (int attempt = 0; attempt < Tries; attempt++)
        {
            double eraseArea = area * random.Uniform(scale[0], scale[1]);
            double aspect = Math.Exp(random.Uniform(Math.Log(ratio[0]), Math.Log(ratio[1])));
            int height = (int)Math.Round(Math.Sqrt(eraseArea * aspect), MidpointRounding.ToEven);
            int width = (int)Math.Round(Math.Sqrt(eraseArea / aspect), MidpointRounding.ToEven);
            if (height < imageHeight && width < imageWidth)
            {
                int top = random.Integer(0, imageHeight - height + 1);
                int left = random.Integer(0, imageWidth - width + 1);
                var erased = image.clone();
                using var window = Resampling.Crop(erased, top, left, height, width);
                window.zero_();
                return erased;
            }
        }

        return image.alias();
    }
}
