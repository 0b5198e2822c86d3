using static TorchSharp.torch;

namespace CompatLab.Plugins.Backbones;

/// <summary>The activations torchvision's CNNs use after a convolution and batch norm.</summary>
internal enum Activation
{
    None,
    Relu,
    Relu6,
    Hardswish,
}

internal static class Activations
{
    /// <summary>
    /// Applies the activation in place: every caller hands it a fresh batch-norm output, and none of these
    /// activations' backward needs the tensor they overwrite (they use their output).
    /// </summary>
    public static Tensor ApplyInPlace(this Activation activation, Tensor normalised) => activation switch
    {
        Activation.Relu => normalised.relu_(),
        Activation.Relu6 => normalised.hardtanh_(0.0, 6.0),
        Activation.Hardswish => nn.functional.hardswish(normalised, inplace: true),
        _ => normalised,
    };
}
