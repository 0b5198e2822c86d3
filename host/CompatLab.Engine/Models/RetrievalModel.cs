using CompatLab.Abstractions.Data;
using CompatLab.Engine.Data;
using static TorchSharp.torch;

namespace CompatLab.Engine.Models;

/// <summary>An embedding network with its classifier head; the unit that is trained, checkpointed and evaluated.</summary>
public sealed class RetrievalModel : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006
    private readonly EmbeddingNetwork network;
    private readonly ClassifierHead classifier;
#pragma warning restore IDE1006

    public RetrievalModel(EmbeddingNetwork network, ClassifierHead classifier)
        : base(nameof(RetrievalModel))
    {
        this.network = network;
        this.classifier = classifier;
        RegisterComponents();
    }

    public EmbeddingNetwork Network => network;

    public ClassifierHead Classifier => classifier;

    /// <summary>Raw embeddings (the projector's output).</summary>
    public override Tensor forward(Tensor images) => network.forward(images);

    /// <summary>
    /// Images per forward pass when embedding without gradients (evaluation, class means). Large enough to keep
    /// the CPU's matrix kernels busy, small enough that the pass's transient activations (a few tens of MB for
    /// resnet-mini) do not set the process's memory high-water mark, which the allocator keeps.
    /// </summary>
    public const int InferenceBatchSize = 256;

    /// <summary>Raw embeddings of many images in eval mode without gradients, batch by batch, on the CPU.</summary>
    public Tensor EmbedAll(Tensor images, Device device, int batchSize = InferenceBatchSize) =>
        EmbedChunks(images.shape[0], (start, count) => images.narrow(0, start, count), device, batchSize);

    /// <summary>Raw embeddings of a whole set, loaded chunk by chunk without augmentation, so the set never has to be in memory at once.</summary>
    public Tensor EmbedAll(ISampleSet set, Device device, int batchSize = InferenceBatchSize) =>
        EmbedChunks(set.Count, (start, count) => set.LoadRange(start, count, SamplePass.Evaluation), device, batchSize);

    private Tensor EmbedChunks(long total, Func<long, long, Tensor> chunk, Device device, int batchSize)
    {
        bool wasTraining = training;
        eval();
        try
        {
            using var noGrad = no_grad();
            var parts = new List<Tensor>();
            for (long start = 0; start < total; start += batchSize)
            {
                // One scope per batch: a batch's tensors are freed before the next batch runs, so memory stays at one
                // batch's worth instead of growing with the image count.
                using var scope = NewDisposeScope();
                long count = Math.Min(batchSize, total - start);
                var batch = chunk(start, count).to(device);
                parts.Add(network.forward(batch).cpu().MoveToOuterDisposeScope());
            }

            using var all = cat(parts, 0);
            foreach (var part in parts)
            {
                part.Dispose();
            }

            return all.clone();
        }
        finally
        {
            train(wasTraining);
        }
    }
}
