using static TorchSharp.torch;

namespace CompatLab.Abstractions.Losses;

/// <summary>
/// One training batch as a compatibility loss sees it. Embeddings are raw (not normalised).
/// <see cref="NewEmbeddings"/> carries the gradient to the new model; <see cref="OldEmbeddings"/> is detached and set
/// only when the loss asked for it.
/// </summary>
public sealed record CompatibilityBatch(
    Tensor Labels,
    Tensor NewEmbeddings,
    Tensor? OldEmbeddings,
    long Step,
    int Epoch)
{
    /// <summary>
    /// The new model's classifier weight, [classes, new embedding width], carrying its gradient; the host always sets
    /// it when it trains a new model (contract 1.1). Losses that align the classifier with old class centres use it.
    /// </summary>
    public Tensor? NewClassifierWeight { get; init; }
}

/// <summary>Where training stands after an optimiser step.</summary>
public sealed record CompatibilityStepInfo(long Step, int Epoch, long TotalSteps);
