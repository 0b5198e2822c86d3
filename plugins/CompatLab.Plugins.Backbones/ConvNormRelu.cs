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

    public override Tensor forward(Tensor input)
    {
        // Our handle on an intermediate goes as soon as it is used: autograd keeps what backward needs by itself,
        // so without gradients the memory is freed at once, and with them during backward, not at the step's end.
        using var convolved = conv.call(input);

        // In place is safe: batch norm's backward needs its input and statistics, not its output.
        return norm.call(convolved).relu_();
    }
}
