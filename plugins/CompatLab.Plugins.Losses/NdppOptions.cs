using System.ComponentModel;
using CompatLab.Sdk.Options;

namespace CompatLab.Plugins.Losses;

public sealed class NdppOptions : PrototypePerturbationOptions
{
    [Description("Neighbours k: each class is pushed away from its k nearest classes by old-prototype cosine (fewer if there are fewer classes).")]
    public int Neighbours { get; set; } = 5;

    [Description("Temperature t of the attention softmax over the neighbours' old cosines.")]
    public double Temperature { get; set; } = 0.1;

    [Description("Strength beta of the push; 0 turns the perturbation off (bct-proto).")]
    public double Beta { get; set; } = 0.5;

    public override IEnumerable<string> Validate() => base.Validate().Concat(OptionChecks.Problems(
        OptionChecks.AtLeast("neighbours", Neighbours, 1),
        OptionChecks.PositiveFinite("temperature", Temperature),
        OptionChecks.NonNegativeFinite("beta", Beta)));
}
