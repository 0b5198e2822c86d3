using CompatLab.Abstractions.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Backbones;

/// <summary>
/// Four 3x3 conv-norm-ReLU blocks (block1..block4), a 2x2 max-pool after each of the first three, and global
/// average pooling.
/// </summary>
internal sealed class Cnn4Network : FeatureExtractor
{
    private readonly ConvNormRelu block1;
    private readonly ConvNormRelu block2;
    private readonly ConvNormRelu block3;
    private readonly ConvNormRelu block4;
    private readonly MaxPool2d pool;
    private readonly long outputDim;

    internal Cnn4Network(BackboneContext context, IReadOnlyList<int> widths)
        : base(nameof(Cnn4Network))
    {
        block1 = new ConvNormRelu(context.Layers, context.InputChannels, widths[0], stride: 1);
        block2 = new ConvNormRelu(context.Layers, widths[0], widths[1], stride: 1);
        block3 = new ConvNormRelu(context.Layers, widths[1], widths[2], stride: 1);
        block4 = new ConvNormRelu(context.Layers, widths[2], widths[3], stride: 1);
        pool = nn.MaxPool2d(2);
        outputDim = widths[3];
        RegisterComponents();
    }

    public override long OutputDim => outputDim;

    public override Tensor forward(Tensor input)
    {
        // Each intermediate is released once the next layer has it (see ConvNormRelu); the input is the caller's.
        using var features1 = BlockThenPool(block1, input);
        using var features2 = BlockThenPool(block2, features1);
        using var features3 = BlockThenPool(block3, features2);
        using var features4 = block4.call(features3);
        return features4.mean(SpatialDims.HeightAndWidth);
    }

    private Tensor BlockThenPool(ConvNormRelu block, Tensor input)
    {
        using var activated = block.call(input);
        return pool.call(activated);
    }
}
