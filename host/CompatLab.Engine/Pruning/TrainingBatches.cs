using CompatLab.Engine.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace CompatLab.Engine.Pruning;

/// <summary>
/// Full training batches in one seeded order, the same every time they are enumerated, so every capacity of a
/// grid is recalibrated on the same images. Each batch is disposed when the next one is taken (or the enumeration
/// ends), so callers never hold more than one on the device.
/// </summary>
public sealed class TrainingBatches
{
    private readonly StageData data;
    private readonly int batchSize;
    private readonly long orderSeed;
    private readonly Device device;

    public TrainingBatches(StageData data, int batchSize, long orderSeed, Device device)
    {
        this.data = data;
        this.batchSize = batchSize;
        this.orderSeed = orderSeed;
        this.device = device;
    }

    /// <summary>Full batches available (one short batch when there are fewer images than a batch).</summary>
    public long Count => Math.Max(1, data.Images.Count / batchSize);

    /// <summary>Images only, for BatchNorm recalibration.</summary>
    public IEnumerable<Tensor> Images(int maxBatches) => Take(maxBatches).Select(b => b.Images);

    /// <summary>Images with their classifier rows, for a loss gradient.</summary>
    public IEnumerable<(Tensor Images, Tensor Rows)> Take(int maxBatches)
    {
        long size = Math.Min(batchSize, data.Images.Count);
        long batches = Math.Min(maxBatches, Count);
        Tensor order;
        using (var generator = new Generator((ulong)orderSeed))
        {
            order = randperm(data.Images.Count, generator: generator).DetachFromDisposeScope();
        }

        (Tensor Images, Tensor Rows)? current = null;
        try
        {
            for (long b = 0; b < batches; b++)
            {
                Release(current);
                current = Batch(order, b * size, size);
                yield return current.Value;
            }
        }
        finally
        {
            Release(current);
            order.Dispose();
        }
    }

    // A dispose scope must not stay open across a yield: the caller's tensors would land in it.
    private (Tensor Images, Tensor Rows) Batch(Tensor order, long start, long size)
    {
        using var scope = NewDisposeScope();
        var indices = order.narrow(0, start, size);
        var images = data.Images.Images.index_select(0, indices).to(device);
        var rows = data.LabelToRow.index_select(0, data.Images.Labels.index_select(0, indices)).to(device);
        return (images.DetachFromDisposeScope(), rows.DetachFromDisposeScope());
    }

    private static void Release((Tensor Images, Tensor Rows)? batch)
    {
        batch?.Images.Dispose();
        batch?.Rows.Dispose();
    }
}
