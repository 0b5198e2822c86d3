using CompatLab.Abstractions.Models;
using CompatLab.Abstractions.Training;
using static TorchSharp.torch;

namespace CompatLab.Engine.Pruning;

/// <summary>
/// Every weight's place in the keep order, computed once from per-weight scores; the mask for a capacity keeps the
/// weights whose place is below that capacity's count. Since the order does not depend on the capacity, masks of
/// a smaller capacity always lie inside those of a larger one. Ties in score go to the earlier position (stable
/// sort), so masks are deterministic.
/// <list type="bullet">
/// <item><b>layer</b>: places are ranks within the layer; a layer of n weights keeps round(c * n), at least one.</item>
/// <item><b>global</b>: each layer's top <see cref="KeepCounts.GlobalFloor"/> weights are always kept and come
/// first; the remaining weights of all layers follow in one score order (ties: earlier layer, then earlier
/// position). The network keeps round(c * N) weights in all, or the floors alone if those are more.</item>
/// </list>
/// </summary>
public sealed class WeightRanking : IDisposable
{
    private readonly Tensor[] places;
    private readonly long[][] shapes;
    private readonly long floorTotal;

    private WeightRanking(PruningScope scope, Tensor[] places, long[][] shapes, long floorTotal)
    {
        Scope = scope;
        this.places = places;
        this.shapes = shapes;
        this.floorTotal = floorTotal;
    }

    public PruningScope Scope { get; }

    public int LayerCount => places.Length;

    public long TotalWeights => places.Sum(p => p.numel());

    /// <param name="scores">One tensor per layer (any shape); larger means more worth keeping. Not modified.</param>
    public static WeightRanking Build(IReadOnlyList<Tensor> scores, PruningScope scope)
    {
        if (scores.Count == 0)
        {
            throw new ArgumentException("a ranking needs at least one layer's scores", nameof(scores));
        }

        using var disposeScope = NewDisposeScope();
        using var noGrad = no_grad();
        long[][] shapes = scores.Select(s => s.shape).ToArray();
        Tensor[] ranks = scores.Select(s => RanksWithin(s.detach().flatten())).ToArray();
        if (scope == PruningScope.Layer)
        {
            return Keep(new WeightRanking(scope, ranks, shapes, 0));
        }

        long[] floors = ranks.Select(r => KeepCounts.GlobalFloor(r.numel())).ToArray();
        var reserved = cat(ranks.Select((r, l) => r.lt(floors[l])).ToArray());
        var allScores = cat(scores.Select(s => s.detach().flatten().to(ranks[0].device)).ToArray());
        long floorTotal = floors.Sum();

        var globalPlaces = empty(allScores.numel(), dtype: ScalarType.Int64, device: allScores.device);
        var reservedIndex = reserved.nonzero().squeeze(1);
        globalPlaces.index_put_(arange(floorTotal, device: allScores.device), reservedIndex);
        var restIndex = reserved.logical_not().nonzero().squeeze(1);
        var restOrder = allScores.index_select(0, restIndex).sort(0, descending: true, stable: true).Indices;
        globalPlaces.index_put_(arange(floorTotal, allScores.numel(), device: allScores.device), restIndex.index_select(0, restOrder));

        Tensor[] perLayer = globalPlaces.split(ranks.Select(r => r.numel()).ToArray()).Select(p => p.clone()).ToArray();
        return Keep(new WeightRanking(scope, perLayer, shapes, floorTotal));
    }

    /// <summary>Scores every layer with the criterion and ranks the weights.</summary>
    public static WeightRanking FromCriterion(
        IPruningCriterion criterion, IReadOnlyList<IMaskableLayer> layers, PruningContext context, PruningScope scope)
    {
        using var disposeScope = NewDisposeScope();
        Tensor[] scores = layers.Select(layer => criterion.Score(layer, context)).ToArray();
        for (int l = 0; l < layers.Count; l++)
        {
            if (!scores[l].shape.SequenceEqual(layers[l].Weight.shape))
            {
                throw new InvalidOperationException(
                    $"the pruning criterion scored layer '{layers[l].LayerName}' with shape [{string.Join(", ", scores[l].shape)}], its weight has [{string.Join(", ", layers[l].Weight.shape)}]");
            }
        }

        return Build(scores, scope);
    }

    /// <summary>How many weights layer <paramref name="layer"/> keeps at the capacity.</summary>
    public long KeptIn(int layer, double capacity)
    {
        using var disposeScope = NewDisposeScope();
        return places[layer].lt(Cutoff(layer, capacity)).sum().item<long>();
    }

    /// <summary>The 0/1 mask of layer <paramref name="layer"/> at the capacity, in the layer's weight shape.</summary>
    public Tensor Mask(int layer, double capacity, ScalarType dtype = ScalarType.Float32)
    {
        using var disposeScope = NewDisposeScope();
        var mask = places[layer].lt(Cutoff(layer, capacity)).to(dtype).reshape(shapes[layer]);
        return mask.MoveToOuterDisposeScope();
    }

    /// <summary>The masks of every layer at the capacity.</summary>
    public IReadOnlyList<Tensor> Masks(double capacity, ScalarType dtype = ScalarType.Float32) =>
        Enumerable.Range(0, places.Length).Select(l => Mask(l, capacity, dtype)).ToList();

    public void Dispose()
    {
        foreach (var place in places)
        {
            place.Dispose();
        }
    }

    private long Cutoff(int layer, double capacity) => Scope == PruningScope.Layer
        ? KeepCounts.ForCapacity(places[layer].numel(), capacity)
        : Math.Max(KeepCounts.ForCapacity(TotalWeights, capacity), floorTotal);

    /// <summary>0 for the highest score; equal scores ranked by position.</summary>
    private static Tensor RanksWithin(Tensor flatScores)
    {
        var order = flatScores.sort(0, descending: true, stable: true).Indices;
        var ranks = empty_like(order);
        ranks.index_put_(arange(order.numel(), device: order.device), order);
        return ranks;
    }

    private static WeightRanking Keep(WeightRanking ranking)
    {
        foreach (var place in ranking.places)
        {
            place.DetachFromDisposeScope();
        }

        return ranking;
    }
}
