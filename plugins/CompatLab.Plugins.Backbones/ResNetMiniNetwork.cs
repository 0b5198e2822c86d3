using CompatLab.Abstractions.Models;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Backbones;

/// <summary>
/// A CIFAR-style ResNet trunk: a 3x3 stem, three stages of basic blocks (the last two halve the resolution) and
/// global average pooling. Module names: stem, stage1..stage3, each with block0, block1, ...
/// </summary>
internal sealed class ResNetMiniNetwork : FeatureExtractor
{
    private readonly ConvNormRelu stem;
    private readonly ResNetStage stage1;
    private readonly ResNetStage stage2;
    private readonly ResNetStage stage3;
    private readonly long outputDim;

    internal ResNetMiniNetwork(BackboneContext context, IReadOnlyList<int> widths, int blocksPerStage)
        : base(nameof(ResNetMiniNetwork))
    {
        stem = new ConvNormRelu(context.Layers, context.InputChannels, widths[0], stride: 1);
        stage1 = new ResNetStage(context.Layers, widths[0], widths[0], firstStride: 1, blocksPerStage);
        stage2 = new ResNetStage(context.Layers, widths[0], widths[1], firstStride: 2, blocksPerStage);
        stage3 = new ResNetStage(context.Layers, widths[1], widths[2], firstStride: 2, blocksPerStage);
        outputDim = widths[2];
        RegisterComponents();
    }

    public override long OutputDim => outputDim;

    public override Tensor forward(Tensor input)
    {
        var features = stage3.call(stage2.call(stage1.call(stem.call(input))));
        return features.mean(SpatialDims.HeightAndWidth);
    }
}
