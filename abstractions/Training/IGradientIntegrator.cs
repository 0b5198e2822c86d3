using static TorchSharp.torch;

namespace CompatLab.Abstractions.Training;

/// <summary>
/// Merges the per-task gradients g_0..g_N of one parameter tensor into the gradient the optimiser applies.
/// Tensors in, one tensor out; telemetry on the side. Nothing else about training reaches an integrator.
/// </summary>
public interface IGradientIntegrator
{
    GradientIntegration Integrate(IReadOnlyList<Tensor> taskGradients, GradientIntegrationContext context);
}

/// <summary>The parameter being merged, where training stands, and a seeded random source for shuffles.</summary>
public sealed record GradientIntegrationContext(string ParameterName, long Step, Random Random)
{
    /// <summary>4-D convolution weights are merged row by row (one output filter a row) by row-wise integrators.</summary>
    public bool RowWise { get; init; }
}

/// <summary>The merged gradient and what the integrator observed (conflict fractions, weights), by name.</summary>
public sealed record GradientIntegration(Tensor Gradient, IReadOnlyDictionary<string, double> Telemetry);
