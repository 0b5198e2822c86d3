namespace CompatLab.Plugins.Datasets.Images;

/// <summary>An image decoded to 8-bit RGB, upright, in height-width-channel order: Pixels[(y * Width + x) * 3 + c].</summary>
public sealed record DecodedImage(int Width, int Height, byte[] Pixels);
