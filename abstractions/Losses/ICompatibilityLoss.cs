using static TorchSharp.torch;

namespace CompatLab.Abstractions.Losses;

/// <summary>
/// A compatibility loss L_comp, added to the new model's classification loss as <c>L_cls + lambda * L_comp</c>.
/// Prepared once with the frozen old model, then asked for a scalar per batch. Hooks let losses that keep state
/// (prototypes, banks) refresh it as the new model trains.
/// </summary>
public interface ICompatibilityLoss : IDisposable
{
    /// <summary>When true the host computes the frozen old model's embedding of every batch for <see cref="Compute"/>.</summary>
    bool NeedsOldEmbeddings { get; }

    void Prepare(CompatibilityContext context);

    /// <summary>The scalar L_comp for one batch. Called inside the step's dispose scope.</summary>
    Tensor Compute(CompatibilityBatch batch);

    /// <summary>Called before each epoch of new-model training (also on resume).</summary>
    void OnEpochStart(int epoch)
    {
    }

    /// <summary>Called after each optimiser step, outside any gradient tape; the place for periodic refreshes.</summary>
    void OnStepEnd(CompatibilityStepInfo step)
    {
    }

    /// <summary>State to keep in checkpoints so a resumed run continues exactly (tensors by name); empty if none.</summary>
    IReadOnlyDictionary<string, Tensor> SaveState() => new Dictionary<string, Tensor>();

    /// <summary>Restores what <see cref="SaveState"/> returned.</summary>
    void LoadState(IReadOnlyDictionary<string, Tensor> state)
    {
    }
}
