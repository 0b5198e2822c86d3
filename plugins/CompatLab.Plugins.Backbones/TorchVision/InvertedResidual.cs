using CompatLab.Abstractions.Models;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Backbones;

/// <summary>
/// MobileNet's inverted residual: an optional 1x1 expansion, a depthwise convolution, an optional
/// squeeze-and-excitation (V3) and a 1x1 linear projection, with the input added back when the shape allows.
/// The steps are numbered like torchvision's ("conv" in V2, "block" in V3), so weights load key for key.
/// </summary>
internal sealed class InvertedResidual : nn.Module<Tensor, Tensor>
{
    // A tuple, not module fields: TorchSharp would also register module fields under their own names, adding
    // keys torchvision does not have.
    private readonly (IndexedSequence Steps, bool Residual) body;

    private InvertedResidual(string stepsName, IndexedSequence steps, bool residual)
        : base(nameof(InvertedResidual))
    {
        body = (steps, residual);
        register_module(stepsName, steps);
    }

    /// <summary>torchvision's MobileNetV2 block: ReLU6, and the projection as a bare conv "N" and bn "N+1".</summary>
    public static InvertedResidual V2(ILayerFactory layers, long inChannels, long outChannels, long stride, long expandRatio)
    {
        long hidden = inChannels * expandRatio;
        var modules = new List<nn.Module<Tensor, Tensor>>();
        if (expandRatio != 1)
        {
            modules.Add(new ConvNormActivation(layers, new ConvShape(inChannels, hidden, 1), Activation.Relu6, BatchNormStyle.Torch));
        }

        modules.Add(new ConvNormActivation(layers, ConvShape.Depthwise(hidden, 3, stride), Activation.Relu6, BatchNormStyle.Torch));
        modules.Add(new ConvShape(hidden, outChannels, 1).Build(layers));
        modules.Add(BatchNormStyle.Torch.Create(outChannels));
        return new InvertedResidual("conv", new IndexedSequence(modules), stride == 1 && inChannels == outChannels);
    }

    /// <summary>torchvision's MobileNetV3 block, described by one row of its configuration table.</summary>
    public static InvertedResidual V3(ILayerFactory layers, MobileNetV3Block row)
    {
        var style = BatchNormStyle.MobileNetV3;
        var modules = new List<nn.Module<Tensor, Tensor>>();
        if (row.Expanded != row.In)
        {
            modules.Add(new ConvNormActivation(layers, new ConvShape(row.In, row.Expanded, 1), row.Activation, style));
        }

        modules.Add(new ConvNormActivation(layers, ConvShape.Depthwise(row.Expanded, row.Kernel, row.Stride), row.Activation, style));
        if (row.SqueezeExcite)
        {
            modules.Add(new SqueezeExcitation(layers, row.Expanded, ChannelRounding.ToMultipleOf8(row.Expanded / 4)));
        }

        modules.Add(new ConvNormActivation(layers, new ConvShape(row.Expanded, row.Out, 1), Activation.None, style));
        return new InvertedResidual("block", new IndexedSequence(modules), row.Stride == 1 && row.In == row.Out);
    }

    public override Tensor forward(Tensor input)
    {
        var output = body.Steps.call(input);

        // The projection ends in batch norm (no activation), whose backward does not read its output: add in place.
        return body.Residual ? output.add_(input) : output;
    }
}
