using CompatLab.Abstractions.Data;
using CompatLab.Engine.Evaluation;
using CompatLab.Engine.Models;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Protocols;

/// <summary>
/// Embeds a sample set with a model in eval mode, loading it a batch at a time (unaugmented), so a set that decodes
/// files on demand is never held whole: into one tensor for sets that fit, or chunk by chunk into a gallery file.
/// </summary>
internal static class SetEmbedder
{
    /// <summary>Raw embeddings [Count, d] on the CPU, owned by the caller.</summary>
    public static Tensor Embed(RetrievalModel model, ISampleSet set, Device device)
    {
        var parts = new List<Tensor>();
        try
        {
            ForEachBatch(model, set, device, (_, features) => parts.Add(features.cpu().MoveToOuterDisposeScope()));
            return parts.Count == 0 ? zeros(0, model.Network.EmbeddingDim) : cat(parts, 0);
        }
        finally
        {
            foreach (var part in parts)
            {
                part.Dispose();
            }
        }
    }

    /// <summary>Writes the set's embeddings and labels to <paramref name="path"/> a batch at a time (float16 when <paramref name="half"/>).</summary>
    public static void EmbedToFile(RetrievalModel model, ISampleSet set, Device device, string path, bool half)
    {
        using var writer = new EmbeddingChunkWriter(path, (int)model.Network.EmbeddingDim, half ? ScalarType.Float16 : ScalarType.Float32);
        ForEachBatch(model, set, device, (rows, features) => writer.Append(features, set.Labels.narrow(0, rows.Start, rows.Count)));
    }

    private static void ForEachBatch(RetrievalModel model, ISampleSet set, Device device, Action<(long Start, long Count), Tensor> use)
    {
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            for (long start = 0; start < set.Count; start += RetrievalModel.InferenceBatchSize)
            {
                // One scope per batch keeps memory at a batch's worth whatever the set's size.
                using var scope = NewDisposeScope();
                long count = Math.Min(RetrievalModel.InferenceBatchSize, set.Count - start);
                var indices = Enumerable.Range(0, (int)count).Select(i => start + i).ToArray();
                var images = set.Load(indices, SamplePass.Evaluation).to(device);
                use((start, count), model.forward(images));
            }
        }
        finally
        {
            model.train(wasTraining);
        }
    }
}
