using CompatLab.Abstractions.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Backbones;

/// <summary>
/// torchvision's ViT encoder block: pre-norm attention ("ln_1", "self_attention") and a pre-norm MLP ("ln_2",
/// "mlp" numbered 0 = linear, 1 = GELU, 2 = dropout slot, 3 = linear, as torchvision's MLPBlock), each residual.
/// </summary>
internal sealed class EncoderBlock : nn.Module<Tensor, Tensor>
{
    private readonly LayerNorm ln_1;
    private readonly SelfAttention self_attention;
    private readonly LayerNorm ln_2;
    private readonly IndexedSequence mlp;

    public EncoderBlock(ILayerFactory layers, VitSizes sizes)
        : base(nameof(EncoderBlock))
    {
        ln_1 = nn.LayerNorm(sizes.HiddenDim, eps: VitSizes.NormEps);
        self_attention = new SelfAttention(layers, sizes.HiddenDim, sizes.Heads);
        ln_2 = nn.LayerNorm(sizes.HiddenDim, eps: VitSizes.NormEps);

        // Dropout is 0 in torchvision's ViTs; an identity holds its slot so the second linear stays "mlp.3".
        mlp = new IndexedSequence([layers.Linear(sizes.HiddenDim, sizes.MlpDim), nn.GELU(), nn.Identity(), layers.Linear(sizes.MlpDim, sizes.HiddenDim)]);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        Tensor attended;
        using (var normalised = ln_1.call(input))
        using (var mixed = self_attention.call(normalised))
        {
            attended = mixed.add(input);
        }

        using (attended)
        using (var normalised = ln_2.call(attended))
        using (var transformed = mlp.call(normalised))
        {
            return transformed.add(attended);
        }
    }
}
