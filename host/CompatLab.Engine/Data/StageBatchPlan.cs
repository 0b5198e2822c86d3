using CompatLab.Abstractions.Data;
using static TorchSharp.torch;

namespace CompatLab.Engine.Data;

/// <summary>
/// Every batch a stage trains on from a position to its last step, across epochs: epoch e's order is the seeded
/// permutation of (order seed + e), known before the epoch starts, so a prefetcher can load the next epoch's first
/// batches while this epoch's last ones train. Enumerated lazily: one epoch's order is held at a time.
/// </summary>
public sealed record StageBatchPlan(long SampleCount, int BatchSize, long OrderSeed, int SampleSeed)
{
    /// <summary>Epoch <paramref name="epoch"/>'s order of the samples.</summary>
    public long[] Order(int epoch)
    {
        using var generator = new Generator((ulong)(OrderSeed + epoch));
        using var order = randperm(SampleCount, generator: generator);
        return order.data<long>().ToArray();
    }

    /// <summary><paramref name="steps"/> batches from batch <paramref name="firstBatch"/> of <paramref name="firstEpoch"/> on, <paramref name="perEpoch"/> a full epoch.</summary>
    public IEnumerable<PlannedBatch> From(int firstEpoch, int firstBatch, long perEpoch, long steps)
    {
        long left = steps;
        for (int epoch = firstEpoch; left > 0; epoch++)
        {
            int start = epoch == firstEpoch ? firstBatch : 0;
            int end = (int)Math.Min(perEpoch, start + left);
            var pass = new SamplePass(SampleSeed, epoch, Augment: true);
            foreach (var batch in PlannedBatch.OfEpoch(Order(epoch), BatchSize, start, end, pass))
            {
                yield return batch;
            }

            left -= Math.Max(0, end - start);
        }
    }
}
