using CompatLab.Sdk.State;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Losses.Prototypes;

/// <summary>
/// A first-in first-out store of the most recent <c>(phi_o(x), phi_n(x), y)</c> rows seen in training, for
/// refreshes that look at both feature distributions. Rows are detached copies; memory is fixed at construction.
/// </summary>
public sealed class FeatureBank : IDisposable
{
    private const string OldKey = "bank-old";
    private const string NewKey = "bank-new";
    private const string LabelsKey = "bank-labels";
    private const string CursorKey = "bank-cursor";
    private readonly Tensor old;
    private readonly Tensor @new;
    private readonly Tensor labels;
    private long next;

    public FeatureBank(long capacity, long oldWidth, long newWidth, Device device)
    {
        Capacity = capacity;
        old = zeros(capacity, oldWidth, device: device).DetachFromDisposeScope();
        @new = zeros(capacity, newWidth, device: device).DetachFromDisposeScope();
        labels = zeros(capacity, dtype: ScalarType.Int64, device: device).DetachFromDisposeScope();
    }

    public long Capacity { get; }

    /// <summary>Rows held, at most <see cref="Capacity"/>.</summary>
    public long Count { get; private set; }

    /// <summary>Appends a batch, overwriting the oldest rows once full; of a batch larger than the bank only its last rows stay.</summary>
    public void Push(Tensor oldFeatures, Tensor newFeatures, Tensor batchLabels)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long rows = Math.Min(batchLabels.shape[0], Capacity);
        long skip = batchLabels.shape[0] - rows;
        Tensor slots = arange(next, next + rows, dtype: ScalarType.Int64, device: labels.device).remainder(Capacity);
        old.index_copy_(0, slots, oldFeatures.narrow(0, skip, rows).to(old.dtype));
        @new.index_copy_(0, slots, newFeatures.narrow(0, skip, rows).to(@new.dtype));
        labels.index_copy_(0, slots, batchLabels.narrow(0, skip, rows).to(ScalarType.Int64));
        next = (next + rows) % Capacity;
        Count = Math.Min(Count + rows, Capacity);
    }

    /// <summary>The rows held (views into the bank; order is storage order, which no refresh depends on).</summary>
    public (Tensor Old, Tensor New, Tensor Labels) Contents() =>
        (old.narrow(0, 0, Count), @new.narrow(0, 0, Count), labels.narrow(0, 0, Count));

    public void SaveTo(IDictionary<string, Tensor> snapshot)
    {
        snapshot[OldKey] = LossState.Snapshot(old);
        snapshot[NewKey] = LossState.Snapshot(@new);
        snapshot[LabelsKey] = LossState.Snapshot(labels);
        snapshot[CursorKey] = tensor(new[] { next, Count }).DetachFromDisposeScope();
    }

    public void LoadFrom(IReadOnlyDictionary<string, Tensor> state, string plugin)
    {
        LossState.Restore(state, OldKey, old, plugin);
        LossState.Restore(state, NewKey, @new, plugin);
        LossState.Restore(state, LabelsKey, labels, plugin);
        long[] cursor = LossState.Counters(state, CursorKey, 2, plugin);
        if (cursor[0] < 0 || cursor[0] >= Capacity || cursor[1] < 0 || cursor[1] > Capacity)
        {
            throw new Abstractions.CompatLabUserException(
                $"loss '{plugin}': the checkpoint's feature bank position ({cursor[0]}, {cursor[1]} rows) does not fit a bank of {Capacity} rows.");
        }

        next = cursor[0];
        Count = cursor[1];
    }

    public void Dispose()
    {
        old.Dispose();
        @new.Dispose();
        labels.Dispose();
    }
}
