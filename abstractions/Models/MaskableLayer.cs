using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CompatLab.Abstractions.Models;

/// <summary>
/// What maskable convolutions and linears share: the weight W (and bias), optional learnable scores S of W's shape,
/// and a mask multiplied into W on every forward. Parameters are registered as "weight", "bias" and "scores", as
/// torch names them, so state dicts look familiar.
/// </summary>
public abstract class MaskableLayer : nn.Module<Tensor, Tensor>, IMaskableLayer
{
    private readonly Parameter weight;
    private readonly Parameter? bias;
    private Parameter? scores;

    /// <param name="weightShape">The weight's shape; the first dimension is the outputs.</param>
    /// <param name="fanIn">Inputs per output, for torch's default initialisation bounds.</param>
    protected MaskableLayer(string name, long[] weightShape, long fanIn, bool hasBias)
        : base(name)
    {
        weight = new Parameter(empty(weightShape));
        nn.init.kaiming_uniform_(weight, Math.Sqrt(5));
        register_parameter("weight", weight);
        if (hasBias)
        {
            double bound = 1.0 / Math.Sqrt(fanIn);
            bias = new Parameter(empty(weightShape[0]));
            nn.init.uniform_(bias, -bound, bound);
            register_parameter("bias", bias);
        }
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

    /// <summary>W, or W times the mask when one is set (keeping the mask's graph for straight-through gradients).</summary>
    protected Tensor EffectiveWeight => Mask is null ? weight : weight * Mask;
}
