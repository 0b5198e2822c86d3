using CompatLab.Abstractions.Models;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Backbones;

/// <summary>
/// ResNet-18 as used on CIFAR-sized images: a 3x3 stride-1 stem without max-pooling, four stages of two basic
/// blocks (the last three halve the resolution), global average pooling. Module names: stem, stage1..stage4.
/// </summary>
internal sealed class ResNet18Network : FeatureExtractor
{
    private const int BlocksPerStage = 2;
    private readonly ConvNormRelu stem;
    private readonly ResNetStage stage1;
    private readonly ResNetStage stage2;
    private readonly ResNetStage stage3;
    private readonly ResNetStage stage4;
    private readonly long outputDim;

    internal ResNet18Network(BackboneContext context, IReadOnlyList<int> widths)
        : base(nameof(ResNet18Network))
    {
        stem = new ConvNormRelu(context.Layers, context.InputChannels, widths[0], stride: 1);
        stage1 = new ResNetStage(context.Layers, widths[0], widths[0], firstStride: 1, BlocksPerStage);
        stage2 = new ResNetStage(context.Layers, widths[0], widths[1], firstStride: 2, BlocksPerStage);
        stage3 = new ResNetStage(context.Layers, widths[1], widths[2], firstStride: 2, BlocksPerStage);
        stage4 = new ResNetStage(context.Layers, widths[2], widths[3], firstStride: 2, BlocksPerStage);
        outputDim = widths[3];
        RegisterComponents();
    }

    public override long OutputDim => outputDim;

    public override Tensor forward(Tensor input)
    {
        var features = stage4.call(stage3.call(stage2.call(stage1.call(stem.call(input)))));
        return features.mean(SpatialDims.HeightAndWidth);
    }
}
