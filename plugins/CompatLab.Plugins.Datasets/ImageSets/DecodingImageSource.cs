using CompatLab.Plugins.Datasets.Images;

namespace CompatLab.Plugins.Datasets.ImageSets;

/// <summary>
/// Decodes each image from its file, shrunk on load no further than <paramref name="shrinkTarget"/>; with a cache
/// side, also cut to the centre square the cache stores, so decoding and a cache hit give the same pixels.
/// </summary>
internal sealed class DecodingImageSource(IReadOnlyList<ImageSample> samples, ImageDecoder decoder, int shrinkTarget, int? squareSide) : IImageSource
{
    public DecodedImage Get(int row)
    {
        var image = decoder.Decode(samples[row].Path, shrinkTarget);
        return squareSide is int side ? CentreSquare.Of(image, side) : image;
    }

    // Decoders allocate their own buffers, of every size: nothing to reuse.
    public void Return(DecodedImage image)
    {
    }

    public void Dispose()
    {
    }
}
