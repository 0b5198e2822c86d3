using CompatLab.Abstractions.Models;
using static TorchSharp.torch;

namespace CompatLab.Engine.Pruning;

/// <summary>The maskable layers of a network, in module order (the order masks and rankings refer to).</summary>
public static class MaskableLayers
{
    public static IReadOnlyList<IMaskableLayer> In(nn.Module network) =>
        network.modules().Prepend(network).OfType<IMaskableLayer>().Distinct<IMaskableLayer>(ReferenceEqualityComparer.Instance).ToList();
}
