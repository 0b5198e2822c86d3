using TorchSharp.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace CompatLab.Abstractions.Models;

/// <summary>A 2-D convolution whose weight may be masked; initialised as torch's Conv2d (Kaiming-uniform, a = sqrt 5).</summary>
public sealed class MaskableConv2d : nn.Module<Tensor, Tensor>, IMaskableLayer
{
    private readonly long stride;
    private readonly long padding;
#pragma warning disable IDE1006 // TorchSharp registers fields by name: keep torch's names for state dicts.
    private readonly Parameter weight;
    private readonly Parameter? bias;
    private Parameter? scores;
#pragma warning restore IDE1006

    public MaskableConv2d(long inChannels, long outChannels, long kernelSize, long stride = 1, long padding = 0, bool hasBias = false)
        : base(nameof(MaskableConv2d))
    {
        this.stride = stride;
        this.padding = padding;
        weight = new Parameter(empty(outChannels, inChannels, kernelSize, kernelSize));
        nn.init.kaiming_uniform_(weight, Math.Sqrt(5));
        if (hasBias)
        {
            long fanIn = inChannels * kernelSize * kernelSize;
            double bound = 1.0 / Math.Sqrt(fanIn);
            bias = new Parameter(empty(outChannels));
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
        return nn.functional.conv2d(input, effective, bias, strides: new[] { stride, stride }, padding: new[] { padding, padding });
    }
}
