using CompatLab.Abstractions.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Backbones;

/// <summary>torchvision's ViT Encoder: learned "pos_embedding", blocks "layers.encoder_layer_N", final LayerNorm "ln".</summary>
internal sealed class VitEncoder : nn.Module<Tensor, Tensor>
{
    private readonly Parameter pos_embedding;
    private readonly nn.Module<Tensor, Tensor> layers;
    private readonly LayerNorm ln;

    public VitEncoder(ILayerFactory factory, VitSizes sizes, long tokens)
        : base(nameof(VitEncoder))
    {
        pos_embedding = new Parameter(empty(1, tokens, sizes.HiddenDim));
        nn.init.normal_(pos_embedding, std: 0.02); // torchvision's initialisation
        var blocks = Enumerable.Range(0, sizes.Layers)
            .Select(i => ($"encoder_layer_{i}", (nn.Module<Tensor, Tensor>)new EncoderBlock(factory, sizes)));
        layers = nn.Sequential(blocks);
        ln = nn.LayerNorm(sizes.HiddenDim, eps: VitSizes.NormEps);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var positioned = input.add(pos_embedding);
        using var encoded = layers.call(positioned);
        return ln.call(encoded);
    }
}
