using CompatLab.Abstractions.Models;
using static TorchSharp.torch;

namespace CompatLab.Engine.Pruning;

/// <summary>
/// Masks set on a network's maskable layers for as long as this object lives: disposing it gives every layer back
/// the mask it had before (usually none, i.e. dense) and disposes the masks it set.
/// </summary>
public sealed class LayerMasks : IDisposable
{
    private readonly IReadOnlyList<IMaskableLayer> layers;
    private readonly Tensor?[] previous;
    private readonly Tensor[] applied;
    private readonly Tensor[] kept;
    private bool disposed;

    private LayerMasks(IReadOnlyList<IMaskableLayer> layers, Tensor[] applied, Tensor[] kept)
    {
        if (layers.Count != applied.Length || layers.Count != kept.Length)
        {
            throw new ArgumentException($"{applied.Length} masks given for {layers.Count} maskable layers");
        }

        this.layers = layers;
        this.applied = applied;
        this.kept = kept;
        previous = layers.Select(l => l.Mask).ToArray();
        foreach (var mask in Owned())
        {
            mask.DetachFromDisposeScope();
        }

        for (int l = 0; l < layers.Count; l++)
        {
            layers[l].Mask = applied[l];
        }
    }

    /// <summary>The 0/1 masks of the weights kept, per layer (what the applied masks equal in value).</summary>
    public IReadOnlyList<Tensor> Kept => kept;

    /// <summary>Sets the given 0/1 masks (taking ownership of them) on the layers, in order.</summary>
    public static LayerMasks Apply(IReadOnlyList<IMaskableLayer> layers, IReadOnlyList<Tensor> masks) =>
        new(layers, masks.ToArray(), masks.ToArray());

    /// <summary>Sets each layer's mask from the ranking at the capacity (the ranking's layers in the same order).</summary>
    public static LayerMasks Apply(IReadOnlyList<IMaskableLayer> layers, WeightRanking ranking, double capacity) =>
        Apply(layers, layers.Select((layer, l) => ranking.Mask(l, capacity, layer.Weight.dtype)).ToList());

    /// <summary>For <see cref="StraightThroughMasks"/>: masks in the autograd graph plus their plain 0/1 values.</summary>
    internal static LayerMasks ApplyWithGraph(IReadOnlyList<IMaskableLayer> layers, Tensor[] applied, Tensor[] kept) =>
        new(layers, applied, kept);

    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        for (int l = 0; l < layers.Count; l++)
        {
            layers[l].Mask = previous[l];
        }

        foreach (var mask in Owned())
        {
            mask.Dispose();
        }
    }

    /// <summary>Each tensor once (applied and kept may be the same); by reference, as Tensor.Equals compares values.</summary>
    private List<Tensor> Owned() => applied.Concat(kept).Distinct<Tensor>(ReferenceEqualityComparer.Instance).ToList();
}
