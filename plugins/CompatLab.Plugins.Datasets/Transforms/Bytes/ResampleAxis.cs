using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace CompatLab.Plugins.Datasets.Transforms.Bytes;

/// <summary>
/// The integer weights of bilinear resampling with antialiasing (align_corners false) along one axis, from
/// <c>Input</c> to <c>Output</c> samples, computed as libtorch computes them for uint8 images (the published
/// Pillow scheme: triangle filter widened by the scale when shrinking, weights normalised to sum 1 in double, then
/// rounded to int16 at the largest precision that keeps the axis's largest weight under 2^15). Output sample i is
/// (2^(Precision-1) + sum over t of Weights[i * Taps + t] x input[Start[i] + t]) >> Precision, clamped to 0-255.
/// The same double arithmetic in the same order gives the same int16 weights, so the pixels equal libtorch's bit
/// for bit (ByteResamplerTests compares them). Built once per (input, output) pair and shared.
/// </summary>
internal sealed class ResampleAxis
{
    // Window sizes a run meets are few (a crop's side, the output size); the bound keeps a stream of odd sizes from
    // growing the table without end: past it, axes are built and not kept.
    private const int MaxCached = 8192;
    private static readonly ConcurrentDictionary<(int Input, int Output), ResampleAxis> Cache = new();

    // Plans for 3- and 4-byte pixels, straight and mirrored.
    private readonly Lazy<HorizontalPlan>[] plans;

    // Built per new window size, in a run's first batches: optimised from the first call.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private ResampleAxis(int input, int output)
    {
        Input = input;
        Output = output;
        plans = [.. new[] { 3, 4 }.SelectMany(channels => new[] { false, true }.Select(mirrored => new Lazy<HorizontalPlan>(() => HorizontalPlan.For(this, channels, mirrored))))];
        double scale = (double)input / output;
        double support = scale >= 1.0 ? scale : 1.0;
        Taps = ((int)Math.Ceiling(support) * 2) + 1;
        Start = new int[output];
        Count = new int[output];
        var weights = new double[output * Taps];
        double largest = 0;
        for (int i = 0; i < output; i++)
        {
            largest = Math.Max(largest, Window(i, scale, support, weights.AsSpan(i * Taps, Taps)));
        }

        Precision = PrecisionFor(largest);
        Weights = new short[output * Taps];
        double unit = 1 << Precision;
        for (int k = 0; k < weights.Length; k++)
        {
            double v = weights[k] * unit;
            Weights[k] = (short)(v < 0 ? (int)(-0.5 + v) : (int)(0.5 + v));
        }

        FirstRead = Start.Min();
        EndRead = Math.Max(FirstRead + 1, Enumerable.Range(0, output).Max(i => Start[i] + Count[i]));
    }

    public int Input { get; }

    public int Output { get; }

    /// <summary>Weights per output sample (some of the last ones zero).</summary>
    public int Taps { get; }

    public int Precision { get; }

    public int[] Start { get; }

    /// <summary>How many of an output sample's taps lie inside the input (the rest weigh zero).</summary>
    public int[] Count { get; }

    public short[] Weights { get; }

    /// <summary>
    /// The input samples [FirstRead, EndRead) that some output sample reads: only these need resampling along the
    /// other axis. Kept with the axis so that no resize works them out again.
    /// </summary>
    public int FirstRead { get; }

    public int EndRead { get; }

    /// <summary>The shuffle plan for rows of pixels of 3 or 4 bytes, straight or mirrored.</summary>
    public HorizontalPlan Plan(int channels, bool mirrored = false) => plans[(2 * (channels - 3)) + (mirrored ? 1 : 0)].Value;

    public static ResampleAxis For(int input, int output)
    {
        if (input <= 0 || output <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(input), $"resampling needs positive sizes, got {input} to {output}");
        }

        if (Cache.TryGetValue((input, output), out var axis))
        {
            return axis;
        }

        axis = new ResampleAxis(input, output);
        return Cache.Count < MaxCached ? Cache.GetOrAdd((input, output), axis) : axis;
    }

    // Fills the window of output sample i (weights normalised to sum 1) and returns its largest weight.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double Window(int i, double scale, double support, Span<double> weights)
    {
        double center = scale * (i + 0.5);
        double invScale = scale >= 1.0 ? 1.0 / scale : 1.0;
        long min = Math.Max((long)(center - support + 0.5), 0L);
        long size = Math.Clamp(Math.Min((long)(center + support + 0.5), Input) - min, 0L, Taps);
        Start[i] = (int)min;
        Count[i] = (int)size;
        double total = 0;
        for (int j = 0; j < size; j++)
        {
            double w = Triangle(((j + min) - center + 0.5) * invScale);
            weights[j] = w;
            total += w;
        }

        double largest = 0;
        if (total != 0.0)
        {
            for (int j = 0; j < size; j++)
            {
                weights[j] /= total;
                largest = Math.Max(largest, weights[j]);
            }
        }

        return largest;
    }

    private static double Triangle(double x)
    {
        x = Math.Abs(x);
        return x < 1.0 ? 1.0 - x : 0.0;
    }

    private static int PrecisionFor(double largest)
    {
        int precision = 0;
        for (; precision < 22; precision++)
        {
            if ((int)(0.5 + (largest * (1 << (precision + 1)))) >= (1 << 15))
            {
                break;
            }
        }

        return precision;
    }
}
