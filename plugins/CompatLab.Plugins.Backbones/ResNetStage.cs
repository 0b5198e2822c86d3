using CompatLab.Abstractions.Models;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Backbones;

/// <summary>Basic blocks of one width, registered as block0, block1, ... so layer names stay stable.</summary>
internal sealed class ResNetStage : nn.Module<Tensor, Tensor>
{
    private readonly BasicBlock[] blocks;

    public ResNetStage(ILayerFactory layers, long inChannels, long outChannels, long firstStride, int blockCount)
        : base(nameof(ResNetStage))
    {
        blocks = new BasicBlock[blockCount];
        for (int i = 0; i < blockCount; i++)
        {
            blocks[i] = i == 0
                ? new BasicBlock(layers, inChannels, outChannels, firstStride)
                : new BasicBlock(layers, outChannels, outChannels, stride: 1);
            register_module($"block{i}", blocks[i]);
        }
    }

    public override Tensor forward(Tensor input)
    {
        return ModuleChain.Through(blocks, input);
    }
}
