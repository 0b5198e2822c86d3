using CompatLab.Abstractions.Plugins;
using CompatLab.Plugins.Losses.Prototypes;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Losses;

/// <summary>
/// Neighbour-driven prototype perturbation (this project's formulation after Zhou et al., arXiv 2503.14824):
/// pseudo-old prototypes pushed away from close old-space neighbours wherever the new model separates the pair more.
/// </summary>
[CompatLabPlugin(
    PluginKind.CompatibilityLoss,
    "ndpp",
    Description = "Alignment with pseudo-old prototypes norm(o_c + delta_c); delta pushes each class from its k nearest old neighbours by the new-vs-old separation gap, refreshed every R steps, clipped to eps.",
    Options = typeof(NdppOptions))]
public sealed class Ndpp : PrototypePerturbationLoss
{
    private readonly NdppOptions options;

    public Ndpp(NdppOptions options)
        : base("ndpp", options)
    {
        this.options = options;
    }

    protected override Tensor NextPerturbation(PerturbationInputs inputs, long step)
    {
        Tensor push = NeighbourPerturbation.Compute(inputs.Old, inputs.NewMeans, inputs.NewSeen, options.Neighbours, options.Temperature, options.Beta);
        return RowNormClip.Apply(push, options.Eps);
    }
}
