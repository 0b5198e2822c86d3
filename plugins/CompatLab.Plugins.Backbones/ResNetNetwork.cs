using CompatLab.Abstractions.Models;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Backbones;

/// <summary>
/// A CIFAR-style ResNet trunk: a 3x3 stem, one stage of basic blocks per width (every stage after the first halves
/// the resolution) and global average pooling. `resnet-mini` has three stages, `cifar-resnet18` four of two blocks.
/// Module names: stem, stage1..stageN, each with block0, block1, ... (saved models depend on them).
/// </summary>
internal sealed class ResNetNetwork : FeatureExtractor
{
    private readonly ConvNormRelu stem;
    private readonly ResNetStage[] stages;
    private readonly long outputDim;

    internal ResNetNetwork(string name, BackboneContext context, IReadOnlyList<int> widths, int blocksPerStage)
        : base(name)
    {
        // Built (and so seeded) in the order stem, stage1, stage2, ...
        stem = new ConvNormRelu(context.Layers, context.InputChannels, widths[0], stride: 1);
        register_module("stem", stem);
        stages = new ResNetStage[widths.Count];
        for (int s = 0; s < widths.Count; s++)
        {
            stages[s] = new ResNetStage(context.Layers, widths[Math.Max(0, s - 1)], widths[s], firstStride: s == 0 ? 1 : 2, blocksPerStage);
            register_module($"stage{s + 1}", stages[s]);
        }

        outputDim = widths[^1];
    }

    public override long OutputDim => outputDim;

    public override Tensor forward(Tensor input)
    {
        using var stemmed = stem.call(input);
        using var features = ModuleChain.Through(stages, stemmed); // at least one stage, so never `stemmed` itself
        return features.mean(SpatialDims.HeightAndWidth);
    }
}
