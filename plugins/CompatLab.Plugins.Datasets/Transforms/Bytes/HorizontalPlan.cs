using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace CompatLab.Plugins.Datasets.Transforms.Bytes;

/// <summary>
/// How <see cref="HorizontalPass"/> resamples a row of interleaved pixels with byte shuffles. Output pixels go in
/// groups of up to four; for each pair of taps the group loads 16 input bytes that hold that pair's taps for all its
/// pixels, a shuffle places each output value's two input bytes side by side as 16-bit numbers, and a multiply-add of
/// 16-bit pairs (pmaddwd) adds both products into the value's 32-bit sum. Three registers hold a group's up to 12
/// values (4 pixels x 3 channels). A group is as many pixels as keep every pair's taps within 16 bytes (down to one
/// pixel, whose two taps always fit), so any shrinking factor has a plan. A mirrored plan writes output pixel x with
/// the taps of pixel Output - 1 - x: the resampled row flipped, at no cost.
/// </summary>
internal sealed class HorizontalPlan
{
    public const int LoadBytes = 16;
    private const int MaxPixels = 4;
    private const byte Nothing = 0x80; // a shuffle index with the high bit set gives 0

    private readonly ResampleAxis axis;
    private readonly bool mirrored;

    // Plans are built for each new window size, in the first batches of a run: optimised from the first call, as
    // unoptimised code built them several times slower than they are used.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private HorizontalPlan(ResampleAxis axis, int channels, bool mirrored)
    {
        this.axis = axis;
        this.mirrored = mirrored;
        Channels = channels;
        Pairs = (axis.Count.Max() + 1) / 2;
        var firsts = Groups();
        int groups = firsts.Count;
        First = [.. firsts];
        Offsets = new int[groups * Pairs];
        Masks = new Vector128<byte>[groups * Pairs * 3];
        Weights = new Vector128<short>[groups * Pairs * 3];
        for (int g = 0; g < groups; g++)
        {
            int end = g + 1 < groups ? firsts[g + 1] : axis.Output;
            for (int pair = 0; pair < Pairs; pair++)
            {
                Fill(g, pair, firsts[g], end);
            }
        }
    }

    public int Channels { get; }

    /// <summary>Tap pairs every group runs (enough for the output pixel with the most taps).</summary>
    public int Pairs { get; }

    /// <summary>First output pixel of each group.</summary>
    public int[] First { get; }

    /// <summary>[group, pair] byte offset of the pair's load from the window's left edge.</summary>
    public int[] Offsets { get; }

    /// <summary>[group, pair, register] shuffle masks over the pair's load.</summary>
    public Vector128<byte>[] Masks { get; }

    /// <summary>[group, pair, register] int16 weight pairs, one pair per output value.</summary>
    public Vector128<short>[] Weights { get; }

    /// <summary>The plan for pixels of <paramref name="channels"/> bytes (3 or 4; three are written), flipped when <paramref name="mirrored"/>.</summary>
    public static HorizontalPlan For(ResampleAxis axis, int channels, bool mirrored) => new(axis, channels, mirrored);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private List<int> Groups()
    {
        var firsts = new List<int>();
        for (int x = 0; x < axis.Output;)
        {
            int pixels = 1;
            while (pixels < MaxPixels && x + pixels < axis.Output && Fits(x, x + pixels + 1))
            {
                pixels++;
            }

            firsts.Add(x);
            x += pixels;
        }

        return firsts;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Fits(int first, int end)
    {
        for (int pair = 0; pair < Pairs; pair++)
        {
            var (start, last) = Reach(first, end, pair);
            if ((last - start) * Channels > LoadBytes)
            {
                return false;
            }
        }

        return true;
    }

    // The axis's output pixel whose taps output pixel x takes.
    private int Source(int x) => mirrored ? axis.Output - 1 - x : x;

    // Input pixels [start, last) that the pair's taps of output pixels [first, end) read; where none of them has
    // such taps, the group's first input pixel and nothing.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private (int Start, int Last) Reach(int first, int end, int pair)
    {
        int start = int.MaxValue;
        int last = int.MinValue;
        int anchor = int.MaxValue;
        for (int x = first; x < end; x++)
        {
            int source = Source(x);
            anchor = Math.Min(anchor, axis.Start[source]);
            int taps = Math.Min(axis.Count[source] - (2 * pair), 2);
            if (taps > 0)
            {
                start = Math.Min(start, axis.Start[source] + (2 * pair));
                last = Math.Max(last, axis.Start[source] + (2 * pair) + taps);
            }
        }

        return start == int.MaxValue ? (anchor, anchor) : (start, last);
    }

    // Writes the pair's load offset, masks and weights straight into the plan's arrays (plans are built for every
    // new window size, so building them must stay cheap next to resampling).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Fill(int group, int pair, int first, int end)
    {
        int start = Reach(first, end, pair).Start;
        Offsets[(group * Pairs) + pair] = start * Channels;
        int slot = ((group * Pairs) + pair) * 3;
        var masks = MemoryMarshal.Cast<Vector128<byte>, byte>(Masks.AsSpan(slot, 3));
        var weights = MemoryMarshal.Cast<Vector128<short>, short>(Weights.AsSpan(slot, 3));
        masks.Fill(Nothing);
        for (int value = 0; value < 12; value++)
        {
            int x = first + (value / 3);
            if (x >= end)
            {
                break;
            }

            int source = Source(x);
            for (int half = 0; half < 2; half++)
            {
                int tap = (2 * pair) + half;
                if (tap < axis.Count[source])
                {
                    masks[(4 * value) + (2 * half)] = (byte)(((axis.Start[source] + tap - start) * Channels) + (value % 3));
                    weights[(2 * value) + half] = axis.Weights[(source * axis.Taps) + tap];
                }
            }
        }
    }
}
