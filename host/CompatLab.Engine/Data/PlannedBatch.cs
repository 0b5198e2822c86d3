using CompatLab.Abstractions.Data;

namespace CompatLab.Engine.Data;

/// <summary>One batch to load: its sample indices, in the order the step sees them, and the pass that seeds its augmentation.</summary>
public sealed record PlannedBatch(long[] Indices, SamplePass Pass)
{
    /// <summary>Batches [<paramref name="firstBatch"/>, <paramref name="endBatch"/>) of one epoch: batch b is rows [b * batchSize, (b + 1) * batchSize) of <paramref name="order"/>.</summary>
    public static IEnumerable<PlannedBatch> OfEpoch(long[] order, int batchSize, int firstBatch, int endBatch, SamplePass pass)
    {
        for (int batch = firstBatch; batch < endBatch; batch++)
        {
            yield return new PlannedBatch(order.AsSpan(batch * batchSize, batchSize).ToArray(), pass);
        }
    }
}
