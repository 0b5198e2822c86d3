using CompatLab.Sdk.State;
using static TorchSharp.torch;

namespace CompatLab.Sdk.Prototypes;

/// <summary>
/// New-model class prototypes as a moving average over training batches:
/// <c>m_c &lt;- momentum * m_c + (1 - momentum) * mean_batch(f | c)</c>, set to the batch mean when class c first
/// appears. Raw (unnormalised) features in; the kept tensors are detached and disposed here.
/// </summary>
public sealed class ClassMeanAverage : IDisposable
{
    private const string MeansKey = "new-prototypes";
    private const string SeenKey = "new-prototypes-seen";
    private readonly double momentum;
    private readonly Tensor means;
    private readonly Tensor seen;

    public ClassMeanAverage(long classes, long width, double momentum, Device device)
    {
        this.momentum = momentum;
        means = zeros(classes, width, device: device).DetachFromDisposeScope();
        seen = zeros(classes, dtype: ScalarType.Bool, device: device).DetachFromDisposeScope();
    }

    /// <summary>The averages m_c [classes, width]; rows of classes not seen yet are 0. Read only.</summary>
    public Tensor Means => means;

    /// <summary>Which classes have appeared in a batch [classes] (bool). Read only.</summary>
    public Tensor Seen => seen;

    /// <summary>Folds one batch in: <paramref name="features"/> [N, width] (detached), <paramref name="labels"/> [N].</summary>
    public void Update(Tensor features, Tensor labels)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long classes = means.shape[0];
        Tensor sums = zeros(classes, means.shape[1], device: means.device).index_add_(0, labels, features.to(ScalarType.Float32), 1.0);
        Tensor counts = zeros(classes, device: means.device).index_add_(0, labels, ones(labels.shape[0], device: means.device), 1.0);
        Tensor present = counts.gt(0).unsqueeze(1);
        Tensor batchMeans = sums.div(counts.clamp_min(1).unsqueeze(1));
        Tensor blended = where(seen.unsqueeze(1), means.mul(momentum).add(batchMeans.mul(1 - momentum)), batchMeans);
        means.copy_(where(present, blended, means));
        seen.logical_or_(present.squeeze(1));
    }

    public void SaveTo(IDictionary<string, Tensor> snapshot)
    {
        snapshot[MeansKey] = LossState.Snapshot(means);
        snapshot[SeenKey] = LossState.Snapshot(seen);
    }

    public void LoadFrom(IReadOnlyDictionary<string, Tensor> state, string plugin)
    {
        LossState.Restore(state, MeansKey, means, plugin);
        LossState.Restore(state, SeenKey, seen, plugin);
    }

    public void Dispose()
    {
        means.Dispose();
        seen.Dispose();
    }
}
