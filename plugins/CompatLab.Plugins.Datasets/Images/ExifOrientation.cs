using SkiaSharp;

namespace CompatLab.Plugins.Datasets.Images;

/// <summary>
/// Turns decoded pixels (RGB, or RGBX with a fourth byte that is ignored) stored in the camera's orientation into an
/// upright image. The EXIF origin says where the stored first row and column belong; each of the eight cases is a
/// mirror and/or a quarter turn. Already upright pixels are handed over as they are, without a copy.
/// </summary>
internal static class ExifOrientation
{
    public static DecodedImage Upright(byte[] pixels, int channels, int width, int height, SKEncodedOrigin origin)
    {
        if (origin == SKEncodedOrigin.TopLeft)
        {
            return new DecodedImage(width, height, pixels, channels);
        }

        bool swaps = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        int outWidth = swaps ? height : width;
        int outHeight = swaps ? width : height;
        var rgb = new byte[outWidth * outHeight * 3];
        for (int y = 0; y < outHeight; y++)
        {
            for (int x = 0; x < outWidth; x++)
            {
                var (sx, sy) = Source(origin, x, y, width, height);
                int from = ((sy * width) + sx) * channels;
                int to = ((y * outWidth) + x) * 3;
                rgb[to] = pixels[from];
                rgb[to + 1] = pixels[from + 1];
                rgb[to + 2] = pixels[from + 2];
            }
        }

        return new DecodedImage(outWidth, outHeight, rgb);
    }

    /// <summary>The stored pixel that shows at upright (x, y).</summary>
    private static (int X, int Y) Source(SKEncodedOrigin origin, int x, int y, int width, int height) => origin switch
    {
        SKEncodedOrigin.TopRight => (width - 1 - x, y),
        SKEncodedOrigin.BottomRight => (width - 1 - x, height - 1 - y),
        SKEncodedOrigin.BottomLeft => (x, height - 1 - y),
        SKEncodedOrigin.LeftTop => (y, x),
        SKEncodedOrigin.RightTop => (y, height - 1 - x),
        SKEncodedOrigin.RightBottom => (width - 1 - y, height - 1 - x),
        SKEncodedOrigin.LeftBottom => (width - 1 - y, x),
        _ => (x, y),
    };
}
