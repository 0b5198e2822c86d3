using System.ComponentModel;
using CompatLab.Sdk.Options;

namespace CompatLab.Plugins.Losses;

public sealed class OdppOptions : PrototypePerturbationOptions
{
    [Description("Rows of (phi_o(x), phi_n(x), y) the feature bank keeps, newest first out last.")]
    public long BankSize { get; set; } = 4096;

    [Description("Projected Adam steps T per refresh.")]
    public int Steps { get; set; } = 20;

    [Description("Adam learning rate of the perturbation solve.")]
    public double LearningRate { get; set; } = 0.002;

    [Description("Weight alpha of the new-feature term CE(s cos(phi_n, p), y).")]
    public double Alpha { get; set; } = 1;

    [Description("Weight mu of the penalty ||delta||_F^2.")]
    public double Mu { get; set; } = 0.1;

    public override IEnumerable<string> Validate() => base.Validate().Concat(OptionChecks.Problems(
        OptionChecks.AtLeast("bankSize", BankSize, 1),
        OptionChecks.AtLeast("steps", Steps, 1),
        OptionChecks.PositiveFinite("learningRate", LearningRate),
        OptionChecks.NonNegativeFinite("alpha", Alpha),
        OptionChecks.NonNegativeFinite("mu", Mu)));
}
