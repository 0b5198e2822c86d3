using static TorchSharp.torch;

namespace CompatLab.Engine.Evaluation;

/// <summary>Gallery rows [Start, Start + n): features [n, d] and int64 labels [n]. Owns both tensors.</summary>
public sealed record EmbeddingChunk(long Start, Tensor Features, Tensor Labels) : IDisposable
{
    public long Count => Labels.shape[0];

    public void Dispose()
    {
        Features.Dispose();
        Labels.Dispose();
    }
}
