using CompatLab.Abstractions.Models;
using CompatLab.Abstractions.Plugins;
using CompatLab.Abstractions.Training;
using CompatLab.Sdk.Models;
using CompatLab.Sdk.Options;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Pruning;

/// <summary>
/// First-order Taylor criterion: the loss change from removing a weight is about |W * dL/dW|, with dL/dW
/// accumulated over a few training batches. The host fills the gradients once per pruning context, not per layer.
/// </summary>
[CompatLabPlugin(
    PluginKind.PruningCriterion,
    "taylor",
    Description = "First-order Taylor: keep the weights with the largest |W * dL/dW|, the gradient accumulated over a few training batches.",
    Options = typeof(TaylorOptions))]
public sealed class Taylor : IPruningCriterion
{
    private readonly int batches;
    private PruningContext? accumulatedFor;

    public Taylor(TaylorOptions options)
    {
        batches = OptionsGuard.Checked(options, "pruning", "taylor").Batches;
    }

    public Tensor Score(IMaskableLayer layer, PruningContext context)
    {
        if (!ReferenceEquals(accumulatedFor, context))
        {
            context.AccumulateGradients(batches);
            accumulatedFor = context;
        }

        var gradient = MaskAccess.WeightGradient(layer, "taylor", $"after accumulating {batches} batches");
        using (no_grad())
        {
            return (layer.Weight * gradient).abs();
        }
    }
}
