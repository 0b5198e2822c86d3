using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CompatLab.Plugins.Datasets.Transforms.Bytes;

/// <summary>Resamples one row of interleaved pixels along its length by a <see cref="HorizontalPlan"/> (SSSE3).</summary>
internal static unsafe class HorizontalPass
{
    /// <summary>
    /// Writes the row's <c>3 x output</c> resampled bytes at <paramref name="into"/>, plus up to 16 bytes past them
    /// that the caller's buffer must have room for (overwritten later or never read).
    /// <paramref name="readable"/> is the end of the memory the row lies in: a load that would cross it is copied
    /// out first.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Row(HorizontalPlan plan, int precision, byte* row, byte* readable, byte* into)
    {
        var initial = Vector128.Create(1 << (precision - 1));
        int pairs = plan.Pairs;
        byte* spare = stackalloc byte[HorizontalPlan.LoadBytes];
        fixed (Vector128<byte>* masks = plan.Masks)
        fixed (Vector128<short>* weights = plan.Weights)
        {
            for (int g = 0; g < plan.First.Length; g++)
            {
                var (a, b, c) = (initial, initial, initial);
                int slot = g * pairs * 3;
                for (int p = 0; p < pairs; p++, slot += 3)
                {
                    byte* load = row + plan.Offsets[(g * pairs) + p];
                    var source = load + HorizontalPlan.LoadBytes <= readable ? Vector128.Load(load) : LoadNear(load, readable, spare);
                    a += Sse2.MultiplyAddAdjacent(Ssse3.Shuffle(source, masks[slot]).AsInt16(), weights[slot]);
                    b += Sse2.MultiplyAddAdjacent(Ssse3.Shuffle(source, masks[slot + 1]).AsInt16(), weights[slot + 1]);
                    c += Sse2.MultiplyAddAdjacent(Ssse3.Shuffle(source, masks[slot + 2]).AsInt16(), weights[slot + 2]);
                }

                Narrow(a, b, c, precision).Store(into + (3 * plan.First[g]));
            }
        }
    }

    /// <summary>
    /// <see cref="Row"/> for two rows at once (AVX2): each 16-byte half of a register holds one row's load, and the
    /// shuffles, multiply-adds and packs, which work within halves, serve both rows with one instruction.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Rows(HorizontalPlan plan, int precision, byte* upper, byte* lower, byte* readable, byte* upperInto, byte* lowerInto)
    {
        var initial = Vector256.Create(1 << (precision - 1));
        int pairs = plan.Pairs;
        byte* spare = stackalloc byte[HorizontalPlan.LoadBytes];
        fixed (Vector128<byte>* masks = plan.Masks)
        fixed (Vector128<short>* weights = plan.Weights)
        {
            for (int g = 0; g < plan.First.Length; g++)
            {
                var (a, b, c) = (initial, initial, initial);
                int slot = g * pairs * 3;
                for (int p = 0; p < pairs; p++, slot += 3)
                {
                    int offset = plan.Offsets[(g * pairs) + p];
                    var top = Vector128.Load(upper + offset); // the upper row is never the image's last
                    var bottom = lower + offset + HorizontalPlan.LoadBytes <= readable ? Vector128.Load(lower + offset) : LoadNear(lower + offset, readable, spare);
                    var source = Vector256.Create(top, bottom);
                    a += Avx2.MultiplyAddAdjacent(Avx2.Shuffle(source, Avx2.BroadcastVector128ToVector256((byte*)(masks + slot))).AsInt16(), Avx2.BroadcastVector128ToVector256((short*)(weights + slot)));
                    b += Avx2.MultiplyAddAdjacent(Avx2.Shuffle(source, Avx2.BroadcastVector128ToVector256((byte*)(masks + slot + 1))).AsInt16(), Avx2.BroadcastVector128ToVector256((short*)(weights + slot + 1)));
                    c += Avx2.MultiplyAddAdjacent(Avx2.Shuffle(source, Avx2.BroadcastVector128ToVector256((byte*)(masks + slot + 2))).AsInt16(), Avx2.BroadcastVector128ToVector256((short*)(weights + slot + 2)));
                }

                var low = Avx2.PackSignedSaturate(Vector256.ShiftRightArithmetic(a, precision), Vector256.ShiftRightArithmetic(b, precision));
                var high = Vector256.ShiftRightArithmetic(c, precision);
                var bytes = Avx2.PackUnsignedSaturate(low, Avx2.PackSignedSaturate(high, high));
                bytes.GetLower().Store(upperInto + (3 * plan.First[g]));
                bytes.GetUpper().Store(lowerInto + (3 * plan.First[g]));
            }
        }
    }

    /// <summary>Three registers of 32-bit sums shifted down and saturated to 12 bytes (the last four repeat).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> Narrow(Vector128<int> a, Vector128<int> b, Vector128<int> c, int precision)
    {
        var low = Sse2.PackSignedSaturate(Vector128.ShiftRightArithmetic(a, precision), Vector128.ShiftRightArithmetic(b, precision));
        var high = Vector128.ShiftRightArithmetic(c, precision);
        return Sse2.PackUnsignedSaturate(low, Sse2.PackSignedSaturate(high, high));
    }

    // The bytes of [load, readable) in a zeroed buffer: the row's last load may run past its image's memory.
    private static Vector128<byte> LoadNear(byte* load, byte* readable, byte* spare)
    {
        var copy = new Span<byte>(spare, HorizontalPlan.LoadBytes);
        copy.Clear();
        new ReadOnlySpan<byte>(load, (int)(readable - load)).CopyTo(copy);
        return Vector128.Load(spare);
    }
}
