using CompatLab.Abstractions.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Backbones;

/// <summary>
/// A 1x1 convolution and batch norm that bring a block's input to its output shape. A projection rather than
/// zero-padding, so the shortcut has weights that PrunNet can mask like any other convolution.
/// </summary>
internal sealed class ProjectionShortcut : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> conv;
    private readonly BatchNorm2d norm;

    public ProjectionShortcut(ILayerFactory layers, long inChannels, long outChannels, long stride)
        : base(nameof(ProjectionShortcut))
    {
        conv = layers.Conv2d(inChannels, outChannels, kernelSize: 1, stride: stride);
        norm = nn.BatchNorm2d(outChannels);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var convolved = conv.call(input); // released early, as in ConvNormRelu
        return norm.call(convolved);
    }
}
