using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CompatLab.Engine.Pruning;

/// <summary>
/// Re-estimates every BatchNorm's running statistics for the network as it is now (under its current masks):
/// statistics are reset, then set to the plain average of the per-batch statistics over the given batches, in
/// train mode without gradients. Parameters are untouched. TorchSharp has no cumulative-average momentum, so
/// batch b (1-based) runs with momentum 1/b, which makes the exponential update a running mean.
/// </summary>
public static class BatchNormRecalibration
{
    /// <returns>How many batches were used (fewer than <paramref name="maxBatches"/> if the batches ran out).</returns>
    public static int Recalibrate(nn.Module<Tensor, Tensor> network, IEnumerable<Tensor> batches, int maxBatches)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatches, 1);
        List<BatchNorm> norms = network.modules().Prepend(network).OfType<BatchNorm>().Distinct<BatchNorm>(ReferenceEqualityComparer.Instance).ToList();
        double?[] momenta = norms.Select(n => n.momentum).ToArray();
        var modes = TrainingModes(network);
        using var batch = batches.GetEnumerator();
        if (!batch.MoveNext())
        {
            throw new ArgumentException("BatchNorm recalibration needs at least one batch", nameof(batches));
        }

        int used = 0;
        try
        {
            using var noGrad = no_grad();
            norms.ForEach(ResetRunningStatistics);
            network.train();
            do
            {
                used++;
                norms.ForEach(n => n.momentum = 1.0 / used);
                using var scope = NewDisposeScope();
                network.call(batch.Current);
            }
            while (used < maxBatches && batch.MoveNext());
        }
        finally
        {
            for (int i = 0; i < norms.Count; i++)
            {
                norms[i].momentum = momenta[i];
            }

            // Parents first: each call resets a whole subtree, which later calls for its descendants correct.
            foreach (var (module, training) in modes)
            {
                module.train(training);
            }
        }

        return used;
    }

    private static List<(nn.Module Module, bool Training)> TrainingModes(nn.Module network) =>
        network.named_modules()
            .Select(m => (m.module, Depth: m.name.Count(c => c == '.') + 1))
            .Prepend((network, Depth: 0))
            .OrderBy(m => m.Depth)
            .Select(m => (m.Item1, m.Item1.training))
            .ToList();

    private static void ResetRunningStatistics(BatchNorm norm)
    {
        norm.running_mean?.zero_();
        norm.running_var?.fill_(1);
        norm.num_batches_tracked?.zero_();
    }
}
