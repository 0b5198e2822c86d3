using CompatLab.Abstractions.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Backbones;

/// <summary>A 3x3 convolution (made by the host's layer factory), batch norm and an in-place ReLU.</summary>
internal sealed class ConvNormRelu : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> conv;
    private readonly BatchNorm2d norm;

    public ConvNormRelu(ILayerFactory layers, long inChannels, long outChannels, long stride)
        : base(nameof(ConvNormRelu))
    {
        conv = layers.Conv2d(inChannels, outChannels, kernelSize: 3, stride: stride, padding: 1);
        norm = nn.BatchNorm2d(outChannels);
        RegisterComponents();
    }

    // In place is safe: batch norm's backward needs its input and statistics, not its output.
    public override Tensor forward(Tensor input) => norm.call(conv.call(input)).relu_();
}
