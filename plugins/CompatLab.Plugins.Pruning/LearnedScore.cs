using CompatLab.Abstractions.Models;
using CompatLab.Abstractions.Plugins;
using CompatLab.Abstractions.Training;
using CompatLab.Sdk.Models;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Pruning;

/// <summary>PrunNet's criterion: the magnitude of the learned score of every weight, |S|.</summary>
[CompatLabPlugin(
    PluginKind.PruningCriterion,
    "learned-score",
    Description = "PrunNet: keep the weights with the largest learned scores |S| (needs a network trained with scores).")]
public sealed class LearnedScore : IPruningCriterion
{
    public Tensor Score(IMaskableLayer layer, PruningContext context)
    {
        var scores = MaskAccess.Scores(layer, "learned-score", "Prune it with 'magnitude', 'taylor' or 'random' instead, or train it with scores.");
        using (no_grad())
        {
            return scores.abs();
        }
    }
}
