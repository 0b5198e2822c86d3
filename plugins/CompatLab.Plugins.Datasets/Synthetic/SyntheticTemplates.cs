using CompatLab.Plugins.Datasets.Sampling;
using TorchSharp;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Datasets.Synthetic;

/// <summary>
/// One smooth random pattern per class, drawn on a canvas <see cref="MaxShift"/> pixels wider on every side than
/// the images so that shifted crops never run off it. Each pattern has zero mean and unit standard deviation.
/// </summary>
internal static class SyntheticTemplates
{
    public const int MaxShift = 2;

    public const int SmallestSize = 4;

    // Coarse grid cells of about this many pixels give blob-sized features that survive a 2-pixel shift.
    private const int PixelsPerGridCell = 6;

    /// <summary>float32 [classes, channels, size + 2 * MaxShift, size + 2 * MaxShift].</summary>
    public static Tensor Create(SyntheticDatasetOptions options, int seed)
    {
        using var scope = NewDisposeScope();
        using var generator = SeedStreams.Create(seed, RandomStream.Templates);
        int canvas = options.Size + (2 * MaxShift);
        var own = SmoothFields(options.Classes, options.Channels, canvas, generator);
        if (options.Clusters == 0)
        {
            return own.MoveToOuterDisposeScope();
        }

        // Classes of one cluster share its base pattern and differ by a small amount of their own.
        var bases = SmoothFields(options.Clusters, options.Channels, canvas, generator);
        var clusterOf = arange(options.Classes, dtype: ScalarType.Int64).remainder(options.Clusters);
        var templates = bases.index_select(0, clusterOf).add_(own, alpha: options.ClusterSpread);
        return Standardise(templates).MoveToOuterDisposeScope();
    }

    private static Tensor SmoothFields(int count, int channels, int canvas, Generator generator)
    {
        int grid = Math.Max(3, canvas / PixelsPerGridCell);
        var coarse = randn([count, channels, grid, grid], generator: generator);
        var fine = nn.functional.interpolate(
            coarse, size: [canvas, canvas], mode: InterpolationMode.Bicubic, align_corners: true);
        return Standardise(fine);
    }

    private static Tensor Standardise(Tensor fields)
    {
        var flat = fields.flatten(1);
        var centred = flat - flat.mean([1], keepdim: true);
        return centred.div_(centred.std(1, keepdim: true)).view_as(fields);
    }
}
