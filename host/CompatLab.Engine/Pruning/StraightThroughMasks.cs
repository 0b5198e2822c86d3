using CompatLab.Abstractions;
using CompatLab.Abstractions.Models;
using static TorchSharp.torch;

namespace CompatLab.Engine.Pruning;

/// <summary>
/// PrunNet's training masks: the top-c mask of |S| per layer, set as <c>m = M.detach() + |S| - |S|.detach()</c>.
/// Its value is the 0/1 mask M, and its gradient reaches the scores as if the mask were the identity:
/// <c>dL/dS = sign(S) * W * dL/dW_c</c> with <c>W_c = m * W</c>. The graph behind m is consumed by one backward,
/// so apply fresh masks for every forward pass.
/// </summary>
public static class StraightThroughMasks
{
    /// <summary>Ranks |S| of every layer (layer scope) and applies the capacity's masks.</summary>
    public static LayerMasks Apply(IReadOnlyList<IMaskableLayer> layers, double capacity)
    {
        using var ranking = RankScores(layers);
        return Apply(layers, ranking, capacity);
    }

    /// <summary>Applies the capacity's masks from a ranking of |S| made once for several capacities.</summary>
    public static LayerMasks Apply(IReadOnlyList<IMaskableLayer> layers, WeightRanking ranking, double capacity)
    {
        var applied = new Tensor[layers.Count];
        var kept = new Tensor[layers.Count];
        using var scope = NewDisposeScope();
        for (int l = 0; l < layers.Count; l++)
        {
            var scores = ScoresOf(layers[l]);
            kept[l] = ranking.Mask(l, capacity, layers[l].Weight.dtype);
            var magnitude = scores.abs();
            applied[l] = kept[l] + (magnitude - magnitude.detach());
        }

        scope.MoveToOuter(applied.Concat(kept));
        return LayerMasks.ApplyWithGraph(layers, applied, kept);
    }

    /// <summary>The layer-scope ranking of |S| that training masks come from.</summary>
    public static WeightRanking RankScores(IReadOnlyList<IMaskableLayer> layers)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return WeightRanking.Build(layers.Select(l => ScoresOf(l).abs()).ToList(), PruningScope.Layer);
    }

    private static Tensor ScoresOf(IMaskableLayer layer) => layer.Scores ?? throw new CompatLabUserException(
        $"layer '{layer.LayerName}' has no learned scores; PrunNet training masks need a network built with scores");
}
