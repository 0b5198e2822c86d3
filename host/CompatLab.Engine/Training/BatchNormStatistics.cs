using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CompatLab.Engine.Training;

/// <summary>
/// A copy of every BatchNorm's running statistics (mean, variance, batches tracked), written back on dispose.
/// PrunNet's sub-capacity passes run in train mode, normalising with their own batch statistics; wrapping them in
/// this leaves the running statistics as the dense pass left them, as the reference's throwaway copies do.
/// </summary>
public sealed class BatchNormStatistics : IDisposable
{
    private readonly List<(Tensor Buffer, Tensor Saved)> saved = new();

    private BatchNormStatistics(IEnumerable<BatchNorm> norms)
    {
        using var noGrad = no_grad();
        foreach (var norm in norms)
        {
            foreach (var buffer in new[] { norm.running_mean, norm.running_var, norm.num_batches_tracked }.OfType<Tensor>())
            {
                var copy = buffer.clone();
                copy.DetachFromDisposeScope();
                saved.Add((buffer, copy));
            }
        }
    }

    /// <summary>Every BatchNorm of the network, each once, in module order.</summary>
    public static IReadOnlyList<BatchNorm> In(nn.Module network) =>
        network.modules().Prepend(network).OfType<BatchNorm>().Distinct<BatchNorm>(ReferenceEqualityComparer.Instance).ToList();

    public static BatchNormStatistics Keep(IEnumerable<BatchNorm> norms) => new(norms);

    public void Dispose()
    {
        using var noGrad = no_grad();
        foreach (var (buffer, copy) in saved)
        {
            buffer.copy_(copy);
            copy.Dispose();
        }

        saved.Clear();
    }
}
