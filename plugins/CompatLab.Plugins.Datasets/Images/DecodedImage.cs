using TorchSharp;

namespace CompatLab.Plugins.Datasets.Images;

/// <summary>
/// An image decoded to 8-bit RGB, upright, in height-width-channel order: Pixels[(y * Width + x) * Channels + c].
/// <paramref name="Channels"/> is 3, or 4 when a decoder hands over its RGBX buffer as it is (the fourth byte is
/// ignored): the conversion to RGB then happens in native code, only for the pixels the transforms use.
/// </summary>
public sealed record DecodedImage(int Width, int Height, byte[] Pixels, int Channels = 3)
{
    /// <summary>The pixels as 3-byte RGB (the same array when they already are; otherwise one native strided copy).</summary>
    public byte[] Rgb()
    {
        if (Channels == 3)
        {
            return Pixels;
        }

        using var scope = torch.NewDisposeScope();
        return torch.tensor(Pixels, [Height, Width, Channels]).narrow(2, 0, 3).contiguous().bytes.ToArray();
    }
}
