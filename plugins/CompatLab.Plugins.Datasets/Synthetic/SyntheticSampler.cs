using CompatLab.Abstractions.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Datasets.Synthetic;

/// <summary>Draws images from class templates: a crop shifted by up to 2 pixels each way, plus Gaussian noise.</summary>
internal static class SyntheticSampler
{
    /// <param name="templates">float32 [classes, channels, canvas, canvas] from <see cref="SyntheticTemplates"/>.</param>
    public static LabelledImages Sample(Tensor templates, int perClass, int size, double noise, Generator generator)
    {
        using var scope = NewDisposeScope();
        long classes = templates.shape[0];
        long channels = templates.shape[1];
        long canvas = templates.shape[2];
        long count = classes * perClass;

        // Classes interleaved (0, 1, ..., K-1, 0, 1, ...) so any prefix of the set is balanced.
        var labels = arange(classes, dtype: ScalarType.Int64).repeat(perClass);
        var rowStarts = randint(2 * SyntheticTemplates.MaxShift + 1, [count, 1], generator: generator);
        var columnStarts = randint(2 * SyntheticTemplates.MaxShift + 1, [count, 1], generator: generator);
        var offsets = arange(size, dtype: ScalarType.Int64);

        // Cropping by gathering rows then columns: a shifted window per image with no per-image loop.
        var rows = (rowStarts + offsets).view(count, 1, size, 1).expand(count, channels, size, canvas);
        var columns = (columnStarts + offsets).view(count, 1, 1, size).expand(count, channels, size, size);
        var images = templates.index_select(0, labels).gather(2, rows).gather(3, columns);

        images.add_(randn([count, channels, size, size], generator: generator), alpha: noise);
        return new LabelledImages(images, labels);
    }
}
