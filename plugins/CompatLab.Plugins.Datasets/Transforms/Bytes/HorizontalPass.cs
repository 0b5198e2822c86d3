using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CompatLab.Plugins.Datasets.Transforms.Bytes;

/// <summary>Resamples rows of interleaved pixels along their length by a <see cref="HorizontalPlan"/> (AVX2).</summary>
internal static unsafe class HorizontalPass
{
    /// <summary>
    /// Writes the <c>3 x output</c> resampled bytes of two rows at <paramref name="upperInto"/> and
    /// <paramref name="lowerInto"/> (the same row twice for an odd one out), plus up to 16 bytes past each that the
    /// caller's buffer must have room for (overwritten later or never read). Each 16-byte half of a register holds
    /// one row's load, and the shuffles, multiply-adds and packs, which work within halves, serve both rows with one
    /// instruction. <paramref name="readable"/> is the end of the memory the rows lie in: a load that would cross it
    /// is copied out first.
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
                    var source = Vector256.Create(Load(upper + offset, readable, spare), Load(lower + offset, readable, spare));
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

    // 16 bytes from load, those past readable zero: the last row's last load may run past its image's memory.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Load(byte* load, byte* readable, byte* spare) =>
        load + HorizontalPlan.LoadBytes <= readable ? Vector128.Load(load) : LoadNear(load, readable, spare);

    private static Vector128<byte> LoadNear(byte* load, byte* readable, byte* spare)
    {
        var copy = new Span<byte>(spare, HorizontalPlan.LoadBytes);
        copy.Clear();
        new ReadOnlySpan<byte>(load, (int)(readable - load)).CopyTo(copy);
        return Vector128.Load(spare);
    }
}
