using CompatLab.Abstractions.Data;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Protocols;

/// <summary>
/// Training rows as the stage trainer takes them today (images held in memory). A set that loads on demand is read
/// once, unaugmented, in batches; streamed training replaces this when the trainer takes any sample set.
/// </summary>
internal static class TrainingImages
{
    private const int LoadBatch = 256;

    public static LabelledImages Select(ISampleSet set, Tensor rows)
    {
        if (set is LabelledImages held)
        {
            return held.Select(rows);
        }

        using var scope = NewDisposeScope();
        var indices = rows.data<long>().ToArray();
        var parts = new List<Tensor>();
        for (int start = 0; start < indices.Length; start += LoadBatch)
        {
            parts.Add(set.Load(indices.AsSpan(start, Math.Min(LoadBatch, indices.Length - start)), SamplePass.Evaluation));
        }

        var images = parts.Count > 0 ? cat(parts, 0) : zeros([0, .. set.SampleShape]);
        return new LabelledImages(images, set.Labels.index_select(0, rows));
    }
}
