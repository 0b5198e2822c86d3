using static TorchSharp.torch;

namespace CompatLab.Abstractions.Models;

/// <summary>A linear layer whose weight may be masked; initialised as torch's Linear.</summary>
public sealed class MaskableLinear : MaskableLayer
{
    public MaskableLinear(long inFeatures, long outFeatures, bool hasBias = true)
        : base(nameof(MaskableLinear), new[] { outFeatures, inFeatures }, inFeatures, hasBias)
    {
    }

    public override Tensor forward(Tensor input) => nn.functional.linear(input, EffectiveWeight, Bias);
}
