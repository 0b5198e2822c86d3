using CompatLab.Abstractions.Data;
using CompatLab.Engine.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace CompatLab.Engine.Pruning;

/// <summary>
/// Full training batches in one seeded order, the same every time they are enumerated, so every capacity of a
/// grid is recalibrated on the same images. Each batch is disposed when the next one is taken (or the enumeration
/// ends), so callers never hold more than one on the device. Samples are loaded without augmentation: the batches
/// re-estimate BatchNorm and score weights for the evaluation, which sees unaugmented images.
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
        long[] order;
        using (var generator = new Generator((ulong)orderSeed))
        using (var permutation = randperm(data.Images.Count, generator: generator))
        {
            order = permutation.data<long>().ToArray();
        }

        (Tensor Images, Tensor Rows)? current = null;
        try
        {
            for (long b = 0; b < batches; b++)
            {
                Release(current);
                current = Batch(order.AsMemory((int)(b * size), (int)size));
                yield return current.Value;
            }
        }
        finally
        {
            Release(current);
        }
    }

    // A dispose scope must not stay open across a yield: the caller's tensors would land in it.
    private (Tensor Images, Tensor Rows) Batch(ReadOnlyMemory<long> indices)
    {
        using var scope = NewDisposeScope();
        var images = data.Images.LoadSerialized(indices.Span, SamplePass.Evaluation).to(device);
        using var rowIndices = tensor(indices.ToArray(), dtype: ScalarType.Int64);
        var rows = data.LabelToRow.index_select(0, data.Images.Labels.index_select(0, rowIndices)).to(device);
        return (images.DetachFromDisposeScope(), rows.DetachFromDisposeScope());
    }

    private static void Release((Tensor Images, Tensor Rows)? batch)
    {
        batch?.Images.Dispose();
        batch?.Rows.Dispose();
    }
}
