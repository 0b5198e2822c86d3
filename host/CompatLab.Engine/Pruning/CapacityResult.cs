using CompatLab.Engine.Evaluation;

namespace CompatLab.Engine.Pruning;

/// <summary>
/// One capacity of a pruning grid: what the subnetwork kept and how it retrieves, alone (sub self-test
/// M(phi_c, phi_c)) and against the dense model's gallery (sub-to-dense cross-test M(phi_c, phi_1)).
/// </summary>
/// <param name="Capacity">The fraction asked for.</param>
/// <param name="KeptWeights">Weights of the masked layers the subnetwork keeps.</param>
/// <param name="MaskedLayerWeights">All weights of the masked layers (the denominator of the capacity).</param>
/// <param name="NetworkParameters">Parameters of the dense embedding network (trunk and projector; no scores, no classifier).</param>
/// <param name="KeptParameters">Of those, the ones the subnetwork keeps (every unmasked parameter plus the kept weights).</param>
/// <param name="RecalibrationBatches">Batches BatchNorm was re-estimated over (0: the dense statistics were used).</param>
public sealed record CapacityResult(
    double Capacity,
    long KeptWeights,
    long MaskedLayerWeights,
    long NetworkParameters,
    long KeptParameters,
    int RecalibrationBatches,
    RetrievalScores SubSelf,
    RetrievalScores SubToDense)
{
    /// <summary>Kept share of the masked layers' weights (what the capacity asked for, after rounding per layer).</summary>
    public double KeptFraction => MaskedLayerWeights == 0 ? 0 : (double)KeptWeights / MaskedLayerWeights;

    /// <summary>Kept share of the embedding network's parameters.</summary>
    public double KeptParameterFraction => NetworkParameters == 0 ? 0 : (double)KeptParameters / NetworkParameters;
}

/// <summary>A whole grid: the dense reference and one <see cref="CapacityResult"/> per capacity, in the order asked.</summary>
public sealed record CapacityGridResult(
    string Scope,
    int RecalibrationBatches,
    RetrievalScores DenseSelf,
    IReadOnlyList<CapacityResult> Capacities);
