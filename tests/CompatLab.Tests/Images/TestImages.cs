using System.Buffers.Binary;
using SkiaSharp;

namespace CompatLab.Tests.Images;

/// <summary>Small images made in the test: PNG and JPEG files from Skia, EXIF orientation and forged PNG headers.</summary>
internal static class TestImages
{
    /// <summary>A width x height RGBA image whose pixel (x, y) is colour(x, y).</summary>
    public static SKBitmap Bitmap(int width, int height, Func<int, int, SKColor> colour, SKColorType type = SKColorType.Rgba8888, SKAlphaType alpha = SKAlphaType.Unpremul)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, type, alpha));
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                bitmap.SetPixel(x, y, colour(x, y));
            }
        }

        return bitmap;
    }

    public static byte[] Encode(SKBitmap bitmap, SKEncodedImageFormat format, int quality = 100)
    {
        using SKData data = bitmap.Encode(format, quality);
        return data.ToArray();
    }

    public static string WritePng(string path, int width = 2, int height = 2)
    {
        using SKBitmap bitmap = Bitmap(width, height, (x, y) => new SKColor((byte)(40 * x), (byte)(60 * y), 90));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, Encode(bitmap, SKEncodedImageFormat.Png));
        return path;
    }

    /// <summary>A JPEG with an EXIF APP1 segment carrying only the orientation tag (0x0112), right after SOI.</summary>
    public static byte[] WithExifOrientation(byte[] jpeg, ushort orientation)
    {
        byte[] tiff =
        [
            (byte)'M', (byte)'M', 0, 42, 0, 0, 0, 8, // big-endian TIFF header, first IFD at offset 8
            0, 1,                                    // one entry
            0x01, 0x12, 0, 3, 0, 0, 0, 1,            // tag Orientation, type SHORT, count 1
            (byte)(orientation >> 8), (byte)orientation, 0, 0,
            0, 0, 0, 0,                              // no next IFD
        ];
        byte[] exif = [.. "Exif\0\0"u8.ToArray(), .. tiff];
        int length = exif.Length + 2;
        byte[] segment = [0xFF, 0xE1, (byte)(length >> 8), (byte)length, .. exif];
        return [.. jpeg[..2], .. segment, .. jpeg[2..]];
    }

    /// <summary>A valid small PNG whose header claims width x height (CRC fixed), so only the header is believable.</summary>
    public static byte[] PngClaiming(int width, int height)
    {
        using SKBitmap bitmap = Bitmap(1, 1, (_, _) => SKColors.White);
        byte[] png = Encode(bitmap, SKEncodedImageFormat.Png);

        // Signature (8) + IHDR length (4) + "IHDR" (4), then width and height; the chunk's CRC covers type and data.
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(16), width);
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(20), height);
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(29), Crc32(png.AsSpan(12, 17)));
        return png;
    }

    private static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in bytes)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
            }
        }

        return ~crc;
    }
}
