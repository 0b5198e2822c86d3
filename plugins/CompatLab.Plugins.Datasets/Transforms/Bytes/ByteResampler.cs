using System.Runtime.Intrinsics.X86;

namespace CompatLab.Plugins.Datasets.Transforms.Bytes;

/// <summary>
/// Bilinear resizing with antialiasing of a window of interleaved 8-bit pixels, giving libtorch's uint8 result bit
/// for bit (the same integer weights, <see cref="ResampleAxis"/>, and the same order: along rows first, rounded to
/// bytes, then across them). Replaces libtorch's kernel on the hot path of every image sample because that kernel
/// recomputes its weight tables in double on every call and moves 3-byte pixels one output pixel at a time; here the
/// weights are built once per window size and a row's output pixels go four at a time through byte shuffles
/// (bench/README.md, "Image pipeline"). Where it cannot run (no AVX2, pixels other than 3 or 4 bytes, or an output
/// under 11 pixels wide) it says so and the caller uses libtorch, whose pixels are the same.
/// </summary>
internal static unsafe class ByteResampler
{
    [ThreadStatic]
    private static byte[]? scratch;

    public static bool Supported => Avx2.IsSupported;

    /// <summary>
    /// Resizes rows [top, top + height) x columns [left, left + width) of <paramref name="image"/> to outHeight x
    /// outWidth pixels of 3 bytes written at <paramref name="into"/>, rows <paramref name="intoStride"/> bytes apart
    /// (a fourth input byte, if any, is dropped), each row flipped when <paramref name="mirrored"/>. False, with nothing
    /// written, where this resampler cannot do it.
    /// </summary>
    public static bool TryResize(in PixelMemory image, int top, int left, int height, int width, int outHeight, int outWidth, bool mirrored, byte* into, long intoStride)
    {
        if (!Supported || image.Channels is not (3 or 4) || 3 * outWidth < 32)
        {
            return false;
        }

        var across = ResampleAxis.For(width, outWidth);
        var plan = across.Plan(image.Channels, mirrored);
        var down = ResampleAxis.For(height, outHeight);
        int rowBytes = 3 * outWidth;
        int rowStride = rowBytes + HorizontalPlan.LoadBytes; // room for a row's last store, which runs past its end
        var (firstRow, endRow) = (down.FirstRead, down.EndRead);
        var buffer = Scratch((endRow - firstRow) * rowStride);
        fixed (byte* rows = buffer)
        {
            byte* readable = image.Pixels + image.Length;
            byte* window = image.Pixels + (top * image.RowStride) + (left * image.Channels);
            long stride = image.RowStride;
            int r = firstRow;
            for (; r + 1 < endRow; r += 2)
            {
                byte* pair = rows + ((r - firstRow) * rowStride);
                HorizontalPass.Rows(plan, across.Precision, window + (r * stride), window + ((r + 1) * stride), readable, pair, pair + rowStride);
            }

            if (r < endRow)
            {
                byte* last = rows + ((r - firstRow) * rowStride);
                HorizontalPass.Rows(plan, across.Precision, window + (r * stride), window + (r * stride), readable, last, last);
            }

            byte* rowZero = rows - (firstRow * rowStride);
            for (int y = 0; y < outHeight; y++)
            {
                VerticalPass.Row(down, y, rowZero, rowStride, rowBytes, into + (y * intoStride));
            }
        }

        return true;
    }

    private static byte[] Scratch(int bytes)
    {
        if (scratch is null || scratch.Length < bytes)
        {
            scratch = new byte[Math.Max(bytes, 2 * (scratch?.Length ?? 0))];
        }

        return scratch;
    }
}

/// <summary>Interleaved 8-bit pixels in memory: <c>Length</c> readable bytes from <c>Pixels</c>, rows <c>RowStride</c> bytes apart.</summary>
internal readonly unsafe struct PixelMemory(byte* pixels, long length, long rowStride, int channels)
{
    public byte* Pixels { get; } = pixels;

    public long Length { get; } = length;

    public long RowStride { get; } = rowStride;

    public int Channels { get; } = channels;
}
