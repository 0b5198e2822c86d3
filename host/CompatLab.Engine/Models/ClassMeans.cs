using CompatLab.Abstractions.Data;
using CompatLab.Engine.Data;
using static TorchSharp.torch;

namespace CompatLab.Engine.Models;

/// <summary>Mean raw embedding of every class, computed with a frozen model in one pass over a dataset.</summary>
public static class ClassMeans
{
    public static Tensor Compute(FrozenOldModel model, ISampleSet images, int classCount, Device device, int batchSize = RetrievalModel.InferenceBatchSize)
    {
        using var noGrad = no_grad();
        var sums = zeros(classCount, model.EmbeddingDim, dtype: ScalarType.Float64, device: device);
        var counts = zeros(classCount, dtype: ScalarType.Float64, device: device);
        for (long start = 0; start < images.Count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            long count = Math.Min(batchSize, images.Count - start);
            var batch = images.LoadRange(start, count, SamplePass.Evaluation).to(device);
            var labels = images.Labels.narrow(0, start, count).to(device);
            sums.index_add_(0, labels, model.Embed(batch).to(ScalarType.Float64), 1.0);
            counts.index_add_(0, labels, ones(count, dtype: ScalarType.Float64, device: device), 1.0);
        }

        using (sums)
        using (counts)
        {
            using var scope = NewDisposeScope();
            return sums.div(counts.clamp_min(1).unsqueeze(1)).to(ScalarType.Float32).MoveToOuterDisposeScope();
        }
    }
}
