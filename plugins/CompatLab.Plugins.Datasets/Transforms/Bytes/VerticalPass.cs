using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CompatLab.Plugins.Datasets.Transforms.Bytes;

/// <summary>
/// Resamples rows of bytes across them: output row y is the weighted sum of input rows Start[y] onward, 32 bytes at a
/// time, two input rows per multiply-add of 16-bit pairs (AVX2).
/// </summary>
internal static unsafe class VerticalPass
{
    /// <summary>
    /// Writes output row <paramref name="y"/> (<paramref name="length"/> bytes, at least 32) at <paramref name="into"/>
    /// from the rows at <paramref name="rows"/>, <paramref name="stride"/> bytes apart.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Row(ResampleAxis axis, int y, byte* rows, long stride, int length, byte* into)
    {
        int count = axis.Count[y];
        int pairs = (count + 1) / 2;
        byte* first = rows + (axis.Start[y] * stride);
        var weights = stackalloc Vector256<short>[pairs];
        for (int p = 0; p < pairs; p++)
        {
            short upper = axis.Weights[(y * axis.Taps) + (2 * p)];
            short lower = (2 * p) + 1 < count ? axis.Weights[(y * axis.Taps) + (2 * p) + 1] : (short)0;
            weights[p] = Vector256.Create((ushort)upper | (lower << 16)).AsInt16();
        }

        for (int j = 0; ; j += Vector256<byte>.Count)
        {
            // The last block ends at the row's end, overlapping the previous one: the same sums again.
            j = Math.Min(j, length - Vector256<byte>.Count);
            Block(first + j, stride, count, weights, axis.Precision).Store(into + j);
            if (j == length - Vector256<byte>.Count)
            {
                return;
            }
        }
    }

    // 32 output bytes; the unpacks and packs work within 16-byte lanes, and each undoes the other's order.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<byte> Block(byte* first, long stride, int count, Vector256<short>* weights, int precision)
    {
        var initial = Vector256.Create(1 << (precision - 1));
        var (s0, s1, s2, s3) = (initial, initial, initial, initial);
        for (int t = 0; t < count; t += 2, weights++)
        {
            var upper = Vector256.Load(first + (t * stride));
            var lower = t + 1 < count ? Vector256.Load(first + ((t + 1) * stride)) : Vector256<byte>.Zero;
            var low = Avx2.UnpackLow(upper, lower);
            var high = Avx2.UnpackHigh(upper, lower);
            s0 += Avx2.MultiplyAddAdjacent(Avx2.UnpackLow(low, Vector256<byte>.Zero).AsInt16(), *weights);
            s1 += Avx2.MultiplyAddAdjacent(Avx2.UnpackHigh(low, Vector256<byte>.Zero).AsInt16(), *weights);
            s2 += Avx2.MultiplyAddAdjacent(Avx2.UnpackLow(high, Vector256<byte>.Zero).AsInt16(), *weights);
            s3 += Avx2.MultiplyAddAdjacent(Avx2.UnpackHigh(high, Vector256<byte>.Zero).AsInt16(), *weights);
        }

        var front = Avx2.PackSignedSaturate(Vector256.ShiftRightArithmetic(s0, precision), Vector256.ShiftRightArithmetic(s1, precision));
        var back = Avx2.PackSignedSaturate(Vector256.ShiftRightArithmetic(s2, precision), Vector256.ShiftRightArithmetic(s3, precision));
        return Avx2.PackUnsignedSaturate(front, back);
    }
}
