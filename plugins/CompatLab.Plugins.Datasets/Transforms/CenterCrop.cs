using static TorchSharp.torch;

namespace CompatLab.Plugins.Datasets.Transforms;

/// <summary>
/// CenterCrop(size) of torchvision: offsets round((H - size) / 2) with Python's round half to even. The pipeline
/// resizes the short side to at least the crop first, so torchvision's zero padding of small images never applies.
/// The crop is a view: interleaved bytes stay interleaved for the normalisation's one-pass loop.
/// </summary>
public sealed class CenterCrop(int size) : ISampleTransform
{
    public Tensor Apply(Tensor image, SampleRandom? random)
    {
        long top = (long)Math.Round((image.shape[1] - size) / 2.0, MidpointRounding.ToEven);
        long left = (long)Math.Round((image.shape[2] - size) / 2.0, MidpointRounding.ToEven);
        return Resampling.Crop(image, top, left, size, size);
    }
}
