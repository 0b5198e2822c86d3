using CompatLab.Abstractions.Models;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Backbones;

/// <summary>
/// torchvision's SqueezeExcitation as MobileNetV3 uses it: global average, 1x1 conv "fc1", ReLU, 1x1 conv "fc2",
/// hard sigmoid, and the input scaled channel by channel. Both 1x1 convolutions have biases and are maskable.
/// </summary>
internal sealed class SqueezeExcitation : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> fc1;
    private readonly nn.Module<Tensor, Tensor> fc2;

    public SqueezeExcitation(ILayerFactory layers, long channels, long squeezed)
        : base(nameof(SqueezeExcitation))
    {
        fc1 = layers.Conv2d(channels, squeezed, kernelSize: 1, bias: true);
        fc2 = layers.Conv2d(squeezed, channels, kernelSize: 1, bias: true);
        register_module("fc1", fc1);
        register_module("fc2", fc2);
    }

    public override Tensor forward(Tensor input)
    {
        using var pooled = input.mean(SpatialDims.HeightAndWidth, keepdim: true);
        using var squeezed = fc1.call(pooled).relu_();
        using var excited = fc2.call(squeezed);
        using var scale = nn.functional.hardsigmoid(excited);
        return input.mul(scale);
    }
}
