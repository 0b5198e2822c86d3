using CompatLab.Abstractions.Data;
using CompatLab.Engine.Data;
using CompatLab.Engine.Evaluation;
using CompatLab.Engine.Models;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Protocols;

/// <summary>
/// Embeds a sample set with a model in eval mode straight into a gallery file, a batch at a time (unaugmented), so
/// neither the set's images nor its embeddings are ever held whole. Sets that fit use <see cref="RetrievalModel.EmbedAll(ISampleSet, Device, int)"/>.
/// </summary>
internal static class SetEmbedder
{
    /// <summary>Writes the set's embeddings and labels to <paramref name="path"/> (float16 when <paramref name="half"/>).</summary>
    public static void EmbedToFile(RetrievalModel model, ISampleSet set, Device device, string path, bool half)
    {
        using var writer = new EmbeddingChunkWriter(path, (int)model.Network.EmbeddingDim, half ? ScalarType.Float16 : ScalarType.Float32);
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
                var images = set.LoadRange(start, count, SamplePass.Evaluation).to(device);
                writer.Append(model.forward(images), set.Labels.narrow(0, start, count));
            }
        }
        finally
        {
            model.train(wasTraining);
        }
    }
}
