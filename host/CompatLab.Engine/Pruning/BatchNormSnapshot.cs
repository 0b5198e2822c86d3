using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CompatLab.Engine.Pruning;

/// <summary>
/// Copies of every BatchNorm's running statistics, taken on creation and written back by <see cref="Restore"/>,
/// so a network can be recalibrated under a mask and returned to its trained statistics afterwards.
/// </summary>
public sealed class BatchNormSnapshot : IDisposable
{
    private readonly List<(Tensor Live, Tensor Saved)> buffers = new();

    public BatchNormSnapshot(nn.Module network)
    {
        using var noGrad = no_grad();
        var norms = network.modules().Prepend(network).OfType<BatchNorm>().Distinct<BatchNorm>(ReferenceEqualityComparer.Instance);
        foreach (var norm in norms)
        {
            foreach (var buffer in new[] { norm.running_mean, norm.running_var, norm.num_batches_tracked })
            {
                if (buffer is not null)
                {
                    buffers.Add((buffer, buffer.clone().DetachFromDisposeScope()));
                }
            }
        }
    }

    public void Restore()
    {
        using var noGrad = no_grad();
        foreach (var (live, saved) in buffers)
        {
            live.copy_(saved);
        }
    }

    public void Dispose()
    {
        foreach (var (_, saved) in buffers)
        {
            saved.Dispose();
        }
    }
}
