using CompatLab.Abstractions.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Backbones;

/// <summary>
/// torchvision's ResNet trunk with its module names (conv1, bn1, layer1..layer4 of numbered blocks), so a
/// torchvision state dict without "fc.*" loads key for key: 7x7 stride-2 stem, 3x3 max-pool, four stages (each
/// after the first halves the resolution), global average pooling.
/// </summary>
internal sealed class TorchVisionResNetNetwork : FeatureExtractor
{
    private static readonly long[] StageWidths = [64, 128, 256, 512];

    private readonly nn.Module<Tensor, Tensor> conv1;
    private readonly BatchNorm2d bn1;
    private readonly MaxPool2d maxpool;
    private readonly IndexedSequence[] stages;
    private readonly long outputDim;

    internal TorchVisionResNetNetwork(string name, BackboneContext context, IReadOnlyList<int> blocksPerStage, bool bottleneck)
        : base(name)
    {
        conv1 = context.Layers.Conv2d(context.InputChannels, 64, kernelSize: 7, stride: 2, padding: 3);
        bn1 = BatchNormStyle.Torch.Create(64);
        maxpool = nn.MaxPool2d(kernel_size: 3, stride: 2, padding: 1);
        register_module("conv1", conv1);
        register_module("bn1", bn1);
        stages = new IndexedSequence[StageWidths.Length];
        long channels = 64;
        for (int s = 0; s < stages.Length; s++)
        {
            var blocks = new List<nn.Module<Tensor, Tensor>>();
            for (int b = 0; b < blocksPerStage[s]; b++)
            {
                long stride = s > 0 && b == 0 ? 2 : 1;
                blocks.Add(bottleneck
                    ? ResidualBlock.Bottleneck(context.Layers, channels, StageWidths[s], stride)
                    : ResidualBlock.Basic(context.Layers, channels, StageWidths[s], stride));
                channels = bottleneck ? StageWidths[s] * 4 : StageWidths[s];
            }

            stages[s] = new IndexedSequence(blocks);
            register_module($"layer{s + 1}", stages[s]);
        }

        outputDim = channels;
    }

    public override long OutputDim => outputDim;

    public override Tensor forward(Tensor input)
    {
        Tensor pooled;
        using (var convolved = conv1.call(input))
        using (var stem = bn1.call(convolved).relu_())
        {
            pooled = maxpool.call(stem);
        }

        using (pooled)
        using (var features = ModuleChain.Through(stages, pooled))
        {
            return features.mean(SpatialDims.HeightAndWidth);
        }
    }
}
