using CompatLab.Abstractions.Plugins;
using CompatLab.Plugins.Losses.Prototypes;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Losses;

/// <summary>
/// Optimisation-driven prototype perturbation (this project's formulation after Zhou et al., arXiv 2503.14824):
/// delta keeps the pseudo-old prototypes valid for old features and discriminative for new ones, found by
/// projected Adam over a bank of recent (old, new, label) rows.
/// </summary>
[CompatLabPlugin(
    PluginKind.CompatibilityLoss,
    "odpp",
    Description = "Alignment with pseudo-old prototypes norm(o_c + delta_c); every R steps delta minimises CE of the banked old and new features under p plus mu ||delta||^2, by T steps of Adam projected onto ||delta_c|| <= eps.",
    Options = typeof(OdppOptions))]
public sealed class Odpp : PrototypePerturbationLoss
{
    public const string ObjectiveBefore = "objective-before";
    public const string ObjectiveAfter = "objective-after";
    private readonly OdppOptions options;

    public Odpp(OdppOptions options)
        : base("odpp", options)
    {
        this.options = options;
    }

    protected override FeatureBank CreateBank(long width, Device device) => new(options.BankSize, width, width, device);

    protected override Tensor NextPerturbation(PerturbationInputs inputs, long step)
    {
        var settings = new OptimisedPerturbationSettings(options.Scale, options.Steps, options.LearningRate, options.Alpha, options.Mu, options.Eps);
        (Tensor delta, double before, double after) = OptimisedPerturbation.Solve(inputs, settings);
        Report(ObjectiveBefore, before, step);
        Report(ObjectiveAfter, after, step);
        return delta;
    }
}
