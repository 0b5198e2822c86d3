using CompatLab.Abstractions;
using CompatLab.Engine.Evaluation;

namespace CompatLab.Engine.Pruning;

/// <summary>What <see cref="CapacityGridEvaluator"/> prunes to and how (methods.md §2.3, §4, §5).</summary>
public sealed class CapacityGridOptions
{
    /// <summary>Fractions of the masked layers' weights to keep, each in (0, 1]; evaluated in the order given.</summary>
    public IReadOnlyList<double> Capacities { get; init; } = [1.0, 0.8, 0.6, 0.4, 0.2];

    public PruningScope Scope { get; init; } = PruningScope.Layer;

    /// <summary>Training batches BatchNorm statistics are re-estimated over under each mask; 0 keeps the dense statistics.</summary>
    public int RecalibrationBatches { get; init; } = 50;

    /// <summary>Images per recalibration (and Taylor gradient) batch; at least 2, since BatchNorm needs two.</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>Seeds the criterion (random noise) and the order of the training batches.</summary>
    public int Seed { get; init; } = 1;

    public RetrievalEvaluatorOptions Evaluation { get; init; } = new();

    /// <summary>Throws <see cref="CompatLabUserException"/> naming the first bad value.</summary>
    public void ThrowIfInvalid()
    {
        if (Capacities.Count == 0)
        {
            throw new CompatLabUserException("capacities: give at least one capacity in (0, 1]");
        }

        foreach (double capacity in Capacities)
        {
            KeepCounts.ThrowIfInvalid(capacity);
        }

        if (Capacities.Distinct().Count() != Capacities.Count)
        {
            throw new CompatLabUserException($"capacities: {string.Join(", ", Capacities)} lists a capacity twice");
        }

        if (RecalibrationBatches < 0)
        {
            throw new CompatLabUserException($"recalibration batches: expected 0 (off) or more, got {RecalibrationBatches}");
        }

        if (BatchSize < 2)
        {
            throw new CompatLabUserException($"batch size: expected at least 2 images (BatchNorm needs two), got {BatchSize}");
        }
    }
}
