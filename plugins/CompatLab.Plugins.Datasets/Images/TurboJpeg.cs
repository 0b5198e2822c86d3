using System.Runtime.InteropServices;

namespace CompatLab.Plugins.Datasets.Images;

/// <summary>
/// A small binding to libjpeg-turbo's TurboJPEG API (libturbojpeg, Debian package libturbojpeg0): JPEG header and
/// decompression straight to 8-bit RGB, at a reduced scale when asked (the library's IDCT scaling). Loaded once from
/// the system; <see cref="Available"/> is false where the library is missing. A TurboJPEG handle is not thread-safe,
/// so each thread gets its own (kept for the thread's life).
/// </summary>
internal static unsafe class TurboJpeg
{
    /// <summary>TJCS_CMYK and TJCS_YCCK: colour spaces left to Skia, which converts CMYK the way browsers do.</summary>
    private const int Cmyk = 3;
    private const int Ycck = 4;
    private const int PixelFormatRgb = 0; // TJPF_RGB

    private static readonly string[] Names = ["libturbojpeg.so.0", "libturbojpeg.so", "turbojpeg", "libturbojpeg.0.dylib"];
    private static readonly Functions? Native = Load();

    [ThreadStatic]
    private static nint handle;

    /// <summary>Whether libturbojpeg was found and has the functions used here.</summary>
    public static bool Available => Native is not null;

    /// <summary>The file the library was loaded from (its name as searched), or null.</summary>
    public static string? LibraryName { get; private set; }

    /// <summary>
    /// Decodes <paramref name="jpeg"/> to RGB at <paramref name="width"/> x <paramref name="height"/> (the full size or
    /// one of the library's scaled sizes). Null when the library is missing, the colour space is CMYK/YCCK, or
    /// TurboJPEG reports an error or a warning (damaged or truncated data): the caller then decodes with Skia, which
    /// gives the usual answer for such files.
    /// </summary>
    public static byte[]? DecodeRgb(byte[] jpeg, int width, int height)
    {
        if (Native is not { } native || Handle(native) is var tj && tj == 0)
        {
            return null;
        }

        fixed (byte* source = jpeg)
        {
            int fullWidth, fullHeight, subsampling, colourSpace;
            if (native.Header(tj, source, new CULong((nuint)jpeg.Length), &fullWidth, &fullHeight, &subsampling, &colourSpace) != 0
                || colourSpace is Cmyk or Ycck || !IsScaledSize(fullWidth, fullHeight, width, height))
            {
                return null;
            }

            var rgb = new byte[checked(width * height * 3)];
            fixed (byte* target = rgb)
            {
                int status = native.Decompress(tj, source, new CULong((nuint)jpeg.Length), target, width, width * 3, height, PixelFormatRgb, 0);
                return status == 0 ? rgb : null;
            }
        }
    }

    /// <summary>Whether width x height is the image at 1/1, 1/2, 1/4 or 1/8 scale (sizes rounded up, as libjpeg does).</summary>
    private static bool IsScaledSize(int fullWidth, int fullHeight, int width, int height) =>
        new[] { 1, 2, 4, 8 }.Any(d => width == (fullWidth + d - 1) / d && height == (fullHeight + d - 1) / d);

    private static nint Handle(Functions native)
    {
        if (handle == 0)
        {
            handle = native.Init();
        }

        return handle;
    }

    private static Functions? Load()
    {
        foreach (string name in Names)
        {
            if (!NativeLibrary.TryLoad(name, typeof(TurboJpeg).Assembly, null, out nint library))
            {
                continue;
            }

            if (NativeLibrary.TryGetExport(library, "tjInitDecompress", out nint init)
                && NativeLibrary.TryGetExport(library, "tjDecompressHeader3", out nint header)
                && NativeLibrary.TryGetExport(library, "tjDecompress2", out nint decompress))
            {
                LibraryName = name;
                return new Functions(
                    (delegate* unmanaged<nint>)init,
                    (delegate* unmanaged<nint, byte*, CULong, int*, int*, int*, int*, int>)header,
                    (delegate* unmanaged<nint, byte*, CULong, byte*, int, int, int, int, int, int>)decompress);
            }

            NativeLibrary.Free(library);
        }

        return null;
    }

    private sealed class Functions(
        delegate* unmanaged<nint> init,
        delegate* unmanaged<nint, byte*, CULong, int*, int*, int*, int*, int> header,
        delegate* unmanaged<nint, byte*, CULong, byte*, int, int, int, int, int, int> decompress)
    {
        public nint Init() => init();

        public int Header(nint tj, byte* jpeg, CULong size, int* width, int* height, int* subsampling, int* colourSpace) =>
            header(tj, jpeg, size, width, height, subsampling, colourSpace);

        public int Decompress(nint tj, byte* jpeg, CULong size, byte* target, int width, int pitch, int height, int format, int flags) =>
            decompress(tj, jpeg, size, target, width, pitch, height, format, flags);
    }
}
