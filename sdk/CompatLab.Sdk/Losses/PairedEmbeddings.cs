using CompatLab.Abstractions.Losses;
using static TorchSharp.torch;

namespace CompatLab.Sdk.Losses;

/// <summary>
/// The batch's new and old embeddings side by side in the old space's width, for losses that compare the two
/// models sample by sample. The old side is always detached, so no gradient can reach the old model.
/// </summary>
public static class PairedEmbeddings
{
    /// <summary>The old embeddings [N, d_old], detached; throws when the host did not provide them.</summary>
    public static Tensor Old(CompatibilityBatch batch, string plugin) =>
        batch.OldEmbeddings?.detach()
        ?? throw new InvalidOperationException(
            $"loss '{plugin}' needs the old model's embeddings of each batch (it sets NeedsOldEmbeddings), but the batch has none.");

    /// <summary>
    /// <c>norm(phi_n(x))</c> fitted to the old width (gradients flow) and <c>norm(phi_o(x))</c> (detached), both [N, d_old].
    /// </summary>
    public static (Tensor New, Tensor Old) Directions(CompatibilityBatch batch, string plugin)
    {
        Tensor old = Old(batch, plugin);
        Tensor fitted = EmbeddingWidth.Fit(batch.NewEmbeddings, old.shape[1]);
        return (nn.functional.normalize(fitted, p: 2, dim: 1), nn.functional.normalize(old, p: 2, dim: 1));
    }

    /// <summary>cos(phi_n(x_i), phi_o(x_i)) of every sample [N], the new side fitted to the old width (gradients flow).</summary>
    public static Tensor Cosines(CompatibilityBatch batch, string plugin)
    {
        (Tensor newDirections, Tensor oldDirections) = Directions(batch, plugin);
        return newDirections.mul(oldDirections).sum(1);
    }
}
