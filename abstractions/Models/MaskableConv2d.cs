using static TorchSharp.torch;

namespace CompatLab.Abstractions.Models;

/// <summary>A 2-D convolution whose weight may be masked; initialised as torch's Conv2d (Kaiming-uniform, a = sqrt 5).</summary>
public sealed class MaskableConv2d : MaskableLayer
{
    private readonly long[] stride;
    private readonly long[] padding;

    public MaskableConv2d(long inChannels, long outChannels, long kernelSize, long stride = 1, long padding = 0, bool hasBias = false)
        : base(nameof(MaskableConv2d), new[] { outChannels, inChannels, kernelSize, kernelSize }, inChannels * kernelSize * kernelSize, hasBias)
    {
        this.stride = new[] { stride, stride };
        this.padding = new[] { padding, padding };
    }

    public override Tensor forward(Tensor input) => nn.functional.conv2d(input, EffectiveWeight, Bias, strides: stride, padding: padding);
}
