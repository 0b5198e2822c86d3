using static TorchSharp.torch;

namespace CompatLab.Plugins.Datasets.Transforms;

/// <summary>
/// One step of the image pipeline on a float [3, H, W] image: returns the new image (made in the caller's dispose
/// scope). Random steps draw from <paramref name="random"/>, which is null when the pass does not augment.
/// </summary>
public interface ISampleTransform
{
    Tensor Apply(Tensor image, SampleRandom? random);
}
