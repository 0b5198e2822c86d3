using CompatLab.Abstractions.Models;
using CompatLab.Abstractions.Plugins;
using CompatLab.Abstractions.Training;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Pruning;

/// <summary>The classic baseline: keep the weights of largest magnitude, |W|.</summary>
[CompatLabPlugin(
    PluginKind.PruningCriterion,
    "magnitude",
    Description = "Keep the weights with the largest magnitude |W|.")]
public sealed class Magnitude : IPruningCriterion
{
    public Tensor Score(IMaskableLayer layer, PruningContext context)
    {
        using (no_grad())
        {
            return layer.Weight.abs();
        }
    }
}
