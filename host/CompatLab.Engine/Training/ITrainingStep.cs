using CompatLab.Abstractions.Losses;
using static TorchSharp.torch;

namespace CompatLab.Engine.Training;

/// <summary>
/// What one optimiser step of a stage computes. <see cref="StageTrainer"/> owns the loop around it (batch order,
/// learning rate, checkpoints, logging); a step owns its losses, gradients and the metrics they give.
/// </summary>
public interface ITrainingStep : IDisposable
{
    /// <summary>Computes gradients and steps the optimiser; runs inside the step's dispose scope.</summary>
    void Run(optim.Optimizer optimizer, TrainingBatch batch);

    /// <summary>Metric averages since the last call, named without the stage prefix; the first is the headline loss.</summary>
    IReadOnlyList<(string Name, double Value)> TakeMetrics(long steps);

    /// <summary>
    /// The first step whose loss terms (or gradient norm) were NaN or infinite, naming them and what produced them;
    /// null while all were finite. Reading it waits for the device, so the trainer calls it sparingly.
    /// </summary>
    NonFiniteStep? FirstNonFinite();

    void OnEpochStart(int epoch);

    void OnStepEnd(CompatibilityStepInfo info);

    /// <summary>State beyond model and optimiser that a checkpoint must keep (the caller disposes the tensors).</summary>
    IReadOnlyDictionary<string, Tensor> SaveState();

    void LoadState(IReadOnlyDictionary<string, Tensor> state);
}

/// <summary>One batch: images, dataset labels, the classifier rows they map to, the step and epoch.</summary>
public sealed record TrainingBatch(Tensor Images, Tensor Labels, Tensor Targets, long Step, int Epoch);
