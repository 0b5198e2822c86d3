using CompatLab.Abstractions.Models;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Backbones;

/// <summary>
/// torchvision's MobileNet trunks: everything under "features" (numbered as torchvision numbers it), then global
/// average pooling. The classifier is not part of the trunk; the host adds its own embedding head.
/// </summary>
internal sealed class MobileNetNetwork : FeatureExtractor
{
    // MobileNetV2's table (expansion t, channels c, repeats n, first stride s), width multiplier 1.
    private static readonly (long T, long C, int N, long S)[] V2Table =
        [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)];

    private readonly IndexedSequence features;
    private readonly long outputDim;

    private MobileNetNetwork(string name, List<nn.Module<Tensor, Tensor>> layers, long outputDim)
        : base(name)
    {
        features = new IndexedSequence(layers);
        this.outputDim = outputDim;
        register_module("features", features);
    }

    public override long OutputDim => outputDim;

    public static MobileNetNetwork V2(BackboneContext context)
    {
        var layers = new List<nn.Module<Tensor, Tensor>>
        {
            new ConvNormActivation(context.Layers, new ConvShape(context.InputChannels, 32, 3, 2), Activation.Relu6, BatchNormStyle.Torch),
        };
        long channels = 32;
        foreach (var (t, c, n, s) in V2Table)
        {
            for (int i = 0; i < n; i++)
            {
                layers.Add(InvertedResidual.V2(context.Layers, channels, c, i == 0 ? s : 1, t));
                channels = c;
            }
        }

        layers.Add(new ConvNormActivation(context.Layers, new ConvShape(channels, 1280, 1), Activation.Relu6, BatchNormStyle.Torch));
        return new MobileNetNetwork("mobilenet-v2-network", layers, 1280);
    }

    public static MobileNetNetwork V3(BackboneContext context, string name, IReadOnlyList<MobileNetV3Block> table)
    {
        var style = BatchNormStyle.MobileNetV3;
        var layers = new List<nn.Module<Tensor, Tensor>>
        {
            new ConvNormActivation(context.Layers, new ConvShape(context.InputChannels, table[0].In, 3, 2), Activation.Hardswish, style),
        };
        layers.AddRange(table.Select(row => InvertedResidual.V3(context.Layers, row)));
        long last = table[^1].Out;
        layers.Add(new ConvNormActivation(context.Layers, new ConvShape(last, 6 * last, 1), Activation.Hardswish, style));
        return new MobileNetNetwork(name, layers, 6 * last);
    }

    public override Tensor forward(Tensor input)
    {
        using var mapped = features.call(input);
        return mapped.mean(SpatialDims.HeightAndWidth);
    }
}
