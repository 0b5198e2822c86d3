using static TorchSharp.torch;

namespace CompatLab.Sdk.Losses;

/// <summary>
/// Fits new embeddings [N, d_new] to the old space's width d_old so they can be compared with old classifiers,
/// prototypes or features: a wider embedding keeps only its first d_old dims, a narrower one is zero-padded.
/// </summary>
public static class EmbeddingWidth
{
    /// <summary>The embeddings at <paramref name="width"/> columns; a view or a padded copy, so gradients flow back.</summary>
    public static Tensor Fit(Tensor embeddings, long width)
    {
        if (embeddings.dim() != 2)
        {
            throw new ArgumentException($"Embeddings must be [N, d]; got [{string.Join(", ", embeddings.shape)}].", nameof(embeddings));
        }

        long current = embeddings.shape[1];
        return current >= width
            ? embeddings.narrow(1, 0, width)
            : nn.functional.pad(embeddings, [0, width - current]);
    }
}
