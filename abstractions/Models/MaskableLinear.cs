using TorchSharp.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace CompatLab.Abstractions.Models;

/// <summary>A linear layer whose weight may be masked; initialised as torch's Linear.</summary>
public sealed class MaskableLinear : nn.Module<Tensor, Tensor>, IMaskableLayer
{
#pragma warning disable IDE1006
    private readonly Parameter weight;
    private readonly Parameter? bias;
    private Parameter? scores;
#pragma warning restore IDE1006

    public MaskableLinear(long inFeatures, long outFeatures, bool hasBias = true)
        : base(nameof(MaskableLinear))
    {
        weight = new Parameter(empty(outFeatures, inFeatures));
        nn.init.kaiming_uniform_(weight, Math.Sqrt(5));
        if (hasBias)
        {
            double bound = 1.0 / Math.Sqrt(inFeatures);
            bias = new Parameter(empty(outFeatures));
            nn.init.uniform_(bias, -bound, bound);
        }

        RegisterComponents();
    }

    public string LayerName { get; set; } = string.Empty;

    public Parameter Weight => weight;

    public Parameter? Bias => bias;

    public Parameter? Scores => scores;

    public Tensor? Mask { get; set; }

    public void EnableScores()
    {
        if (scores is not null)
        {
            return;
        }

        using (no_grad())
        {
            var initial = empty_like(weight);
            nn.init.kaiming_uniform_(initial, Math.Sqrt(5));
            scores = new Parameter(initial);
        }

        register_parameter("scores", scores);
    }

    public override Tensor forward(Tensor input)
    {
        var effective = Mask is null ? weight : weight * Mask;
        return nn.functional.linear(input, effective, bias);
    }
}
