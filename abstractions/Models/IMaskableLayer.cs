using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CompatLab.Abstractions.Models;

/// <summary>
/// A layer whose weights can be masked: pruning criteria score its weights and PrunNet trains subnetworks by
/// setting <see cref="Mask"/>. With no mask it is an ordinary dense layer.
/// </summary>
public interface IMaskableLayer
{
    /// <summary>The layer's module path in the network (set when the network is built).</summary>
    string LayerName { get; }

    /// <summary>The dense weight W.</summary>
    Parameter Weight { get; }

    /// <summary>Learnable scores S of W's shape, or null when the layer was built without them.</summary>
    Parameter? Scores { get; }

    /// <summary>
    /// Multiplied into W on every forward when set (shape of W). It may be part of the autograd graph
    /// (for straight-through score gradients); null means dense.
    /// </summary>
    Tensor? Mask { get; set; }

    /// <summary>Creates <see cref="Scores"/>, initialised like W, if the layer has none yet.</summary>
    void EnableScores();
}
