using CompatLab.Abstractions.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Backbones;

/// <summary>
/// torchvision's Conv2dNormActivation: a convolution registered as "0" (made by the host's layer factory, so
/// maskable), batch norm as "1" and an activation that holds no weights (so it needs no key).
/// </summary>
internal sealed class ConvNormActivation : nn.Module<Tensor, Tensor>
{
    // A tuple, not module fields: TorchSharp would also register module fields under their own names, adding
    // keys torchvision does not have.
    private readonly (nn.Module<Tensor, Tensor> Conv, BatchNorm2d Norm) layers;
    private readonly Activation activation;

    public ConvNormActivation(ILayerFactory layers, ConvShape shape, Activation activation, BatchNormStyle style)
        : base(nameof(ConvNormActivation))
    {
        this.layers = (shape.Build(layers), style.Create(shape.OutChannels));
        this.activation = activation;
        register_module("0", this.layers.Conv);
        register_module("1", this.layers.Norm);
    }

    public override Tensor forward(Tensor input)
    {
        using var convolved = layers.Conv.call(input); // released early, as in ConvNormRelu
        return activation.ApplyInPlace(layers.Norm.call(convolved));
    }
}
