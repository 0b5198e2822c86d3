using CompatLab.Abstractions;
using CompatLab.Abstractions.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CompatLab.Sdk.Models;

/// <summary>Reading a network's maskable layers the way the host's pruning does, with the errors a criterion needs.</summary>
public static class MaskAccess
{
    /// <summary>The maskable layers of <paramref name="network"/> in module order (the order masks and rankings use).</summary>
    public static IReadOnlyList<IMaskableLayer> Layers(nn.Module network) =>
        network.modules().Prepend(network).OfType<IMaskableLayer>().Distinct<IMaskableLayer>(ReferenceEqualityComparer.Instance).ToList();

    /// <summary>The layer's learned scores S, or a user error naming the plugin and layer when it was built without them.</summary>
    /// <param name="instead">What the user can do instead, appended to the message.</param>
    public static Parameter Scores(IMaskableLayer layer, string plugin, string instead) =>
        layer.Scores ?? throw new CompatLabUserException(
            $"pruning '{plugin}': layer '{layer.LayerName}' has no learned scores; the network was trained without PrunNet score masks. {instead}");

    /// <summary>The weight's gradient, or an error naming the layer when it took no part in the loss.</summary>
    public static Tensor WeightGradient(IMaskableLayer layer, string plugin, string when) =>
        layer.Weight.grad ?? throw new InvalidOperationException(
            $"pruning '{plugin}': layer '{layer.LayerName}' has no weight gradient {when}; the layer took no part in the loss");

    /// <summary><paramref name="tensor"/> on the layer weight's device (itself when it is there already).</summary>
    public static Tensor OnWeightDevice(Tensor tensor, IMaskableLayer layer) =>
        tensor.device == layer.Weight.device ? tensor : tensor.to(layer.Weight.device);
}
