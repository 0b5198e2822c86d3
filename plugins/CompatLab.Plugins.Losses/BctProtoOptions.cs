using System.ComponentModel;
using CompatLab.Abstractions.Plugins;
using CompatLab.Sdk.Options;

namespace CompatLab.Plugins.Losses;

public sealed class BctProtoOptions : IValidatableOptions
{
    [Description("Scale s of the logits s * cos(phi_n(x), o_c).")]
    public double Scale { get; set; } = 20;

    public IEnumerable<string> Validate()
    {
        if (OptionChecks.PositiveFinite("scale", Scale) is { } problem)
        {
            yield return problem;
        }
    }
}
