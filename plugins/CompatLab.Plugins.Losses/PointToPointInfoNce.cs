using static TorchSharp.torch;

namespace CompatLab.Plugins.Losses;

/// <summary>
/// InfoNCE between each new embedding and the old embedding of the same image (the positive), against old
/// embeddings of other-label samples in the batch (and, optionally, new embeddings of other-label samples too).
/// </summary>
public static class PointToPointInfoNce
{
    /// <param name="newDirections">Normalised new embeddings n_i [N, d]; gradients flow through them.</param>
    /// <param name="oldDirections">Normalised old embeddings o_i [N, d], detached.</param>
    /// <param name="labels">Labels [N].</param>
    /// <param name="temperature">tau.</param>
    /// <param name="newToNewNegatives">Also put e^(n_i . n_k / tau) of other-label k in the denominator (hot-refresh).</param>
    /// <returns>The mean over i of -log(e^(n_i.o_i/tau) / (e^(n_i.o_i/tau) + sum of the negatives)).</returns>
    public static Tensor Loss(Tensor newDirections, Tensor oldDirections, Tensor labels, double temperature, bool newToNewNegatives)
    {
        using var scope = NewDisposeScope();
        long count = labels.shape[0];
        Tensor otherLabel = labels.unsqueeze(1).ne(labels.unsqueeze(0));
        Tensor samePair = eye(count, dtype: ScalarType.Bool, device: labels.device);

        Tensor toOld = newDirections.matmul(oldDirections.t()).div(temperature);
        Tensor positives = toOld.diagonal();
        Tensor candidates = toOld.masked_fill(otherLabel.logical_or(samePair).logical_not(), double.NegativeInfinity);
        if (newToNewNegatives)
        {
            Tensor toNew = newDirections.matmul(newDirections.t()).div(temperature)
                .masked_fill(otherLabel.logical_not(), double.NegativeInfinity);
            candidates = cat([candidates, toNew], dim: 1);
        }

        return candidates.logsumexp(1).sub(positives).mean().MoveToOuterDisposeScope();
    }
}
