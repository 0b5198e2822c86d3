using CompatLab.Abstractions;
using SkiaSharp;

namespace CompatLab.Plugins.Datasets.Images;

/// <summary>
/// Decodes JPEG, PNG, WebP and BMP files with Skia into upright 8-bit RGB (grey, palette, CMYK and alpha images
/// included; alpha is dropped, as PIL's convert("RGB") does). With a target short side, a JPEG is decoded at 1/2,
/// 1/4 or 1/8 scale (<see cref="SKCodec.GetScaledDimensions"/>) when that still leaves the short side at least the
/// target: the decoder skips the work instead of resizing afterwards. The EXIF orientation is applied. Images
/// larger than <see cref="MaxPixels"/> are refused from their header, before any pixel is decoded (decompression
/// bombs). A 1x1 image is decoded like any other. Every failure names the file and says what was wrong.
/// JPEG pixels come from libjpeg-turbo's TurboJPEG API when <paramref name="jpeg"/> allows it and libturbojpeg is
/// installed (about three times faster here than Skia's codec, docs/datasets.md); Skia still reads the header (format,
/// size, EXIF orientation), and decodes CMYK JPEGs and any file TurboJPEG reports damaged, so errors read as before.
/// </summary>
public sealed class ImageDecoder(long maxPixels = ImageDecoder.DefaultMaxPixels, JpegDecoder jpeg = JpegDecoder.Auto)
{
    /// <summary>100 megapixels: above any photo dataset, far below a 20000x20000 bomb.</summary>
    public const long DefaultMaxPixels = 100_000_000;

    private static readonly SKEncodedImageFormat[] Supported =
        [SKEncodedImageFormat.Jpeg, SKEncodedImageFormat.Png, SKEncodedImageFormat.Webp, SKEncodedImageFormat.Bmp];

    private readonly bool turbo = jpeg switch
    {
        JpegDecoder.Skia => false,
        JpegDecoder.TurboJpeg => TurboJpeg.Available ? true : throw new CompatLabUserException(
            "decoder: turbojpeg needs libturbojpeg (Debian package libturbojpeg0), which was not found; install it, or use decoder: auto or skia."),
        _ => TurboJpeg.Available,
    };

    public long MaxPixels => maxPixels;

    /// <summary>The library that decodes JPEG pixels, for the loader's report: "turbojpeg (libturbojpeg.so.0)" or "skia".</summary>
    public string JpegLibrary => turbo ? $"turbojpeg ({TurboJpeg.LibraryName})" : "skia";

    /// <param name="targetShortSide">The short side the image will be resized to, or null to decode at full size.</param>
    public DecodedImage Decode(string path, int? targetShortSide = null)
    {
        // The codec owns the stream and disposes it.
        byte[] file = ReadFile(path);
        using SKCodec codec = Open(path, new SKMemoryStream(file));
        SKSizeI decoded = ScaledSize(codec, targetShortSide);
        if (turbo && codec.EncodedFormat == SKEncodedImageFormat.Jpeg && TurboJpeg.DecodeRgb(file, decoded.Width, decoded.Height) is { } rgb)
        {
            return ExifOrientation.Upright(rgb, 3, decoded.Width, decoded.Height, codec.EncodedOrigin);
        }

        var info = new SKImageInfo(decoded.Width, decoded.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var rgba = new byte[info.BytesSize];
        SKCodecResult result;
        unsafe
        {
            fixed (byte* pixels = rgba)
            {
                result = codec.GetPixels(info, (IntPtr)pixels);
            }
        }

        if (result != SKCodecResult.Success)
        {
            throw new CompatLabUserException($"{path}: the image data is {Describe(result)}; the file is damaged or cut short.");
        }

        return ExifOrientation.Upright(rgba, 4, decoded.Width, decoded.Height, codec.EncodedOrigin);
    }

    /// <summary>
    /// Reads only the header: the file exists and is not empty, its format is one of ours, and its size is within the
    /// pixel limit. A body that is damaged further on is found only by <see cref="Decode"/>.
    /// </summary>
    public SKSizeI ReadHeader(string path)
    {
        FileStream stream;
        try
        {
            stream = File.OpenRead(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CompatLabUserException($"{path}: cannot read the image file ({e.Message}).");
        }

        if (stream.Length == 0)
        {
            stream.Dispose();
            throw new CompatLabUserException($"{path}: the image file is empty.");
        }

        using SKCodec codec = Open(path, new SKManagedStream(stream, disposeManagedStream: true));
        return codec.Info.Size;
    }

    /// <summary>A codec for a supported format within the pixel limit; Skia takes <paramref name="stream"/> over, even when it fails.</summary>
    private SKCodec Open(string path, SKStreamAsset stream)
    {
        SKCodec? codec = SKCodec.Create(stream, out SKCodecResult opened);
        if (codec is null)
        {
            throw new CompatLabUserException($"{path}: not a readable image ({Describe(opened)}); expected {ImageFormats.ExtensionList}.");
        }

        SKEncodedImageFormat format = codec.EncodedFormat;
        if (!Supported.Contains(format))
        {
            codec.Dispose();
            throw new CompatLabUserException($"{path}: {format} images are not supported; expected {ImageFormats.ExtensionList}.");
        }

        SKSizeI size = codec.Info.Size;
        if ((long)size.Width * size.Height > maxPixels)
        {
            codec.Dispose();
            throw new CompatLabUserException(
                $"{path}: {size.Width}x{size.Height} pixels is more than the limit of {maxPixels:N0} (a decompression bomb or a mistake); not decoded.");
        }

        return codec;
    }

    private static byte[] ReadFile(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CompatLabUserException($"{path}: cannot read the image file ({e.Message}).");
        }

        return bytes.Length == 0
            ? throw new CompatLabUserException($"{path}: the image file is empty.")
            : bytes;
    }

    /// <summary>The smallest of 1/8, 1/4, 1/2 scale whose short side still reaches the target; full size otherwise.</summary>
    private static SKSizeI ScaledSize(SKCodec codec, int? targetShortSide)
    {
        SKSizeI full = codec.Info.Size;
        if (targetShortSide is not int target || target >= Math.Min(full.Width, full.Height))
        {
            return full;
        }

        foreach (float scale in new[] { 0.125f, 0.25f, 0.5f })
        {
            SKSizeI scaled = codec.GetScaledDimensions(scale);
            if (Math.Min(scaled.Width, scaled.Height) >= target && scaled.Width < full.Width)
            {
                return scaled;
            }
        }

        return full;
    }

    private static string Describe(SKCodecResult result) => result switch
    {
        SKCodecResult.IncompleteInput or SKCodecResult.ErrorInInput => "incomplete or corrupt",
        SKCodecResult.Unimplemented => "in an unsupported variant",
        SKCodecResult.InvalidInput => "not in a known image format",
        _ => $"unreadable ({result})",
    };
}
