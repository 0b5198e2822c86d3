using CompatLab.Plugins.Datasets.Images;

namespace CompatLab.Plugins.Datasets.ImageSets;

/// <summary>Where a collection's images come from before the transforms: decoded from their files or read from the decoded cache. Safe to call from several threads at once.</summary>
internal interface IImageSource : IDisposable
{
    DecodedImage Get(int row);

    /// <summary>Hands back an image of <see cref="Get"/> once nothing reads its pixels any more, so its buffer can serve the next one.</summary>
    void Return(DecodedImage image);
}
