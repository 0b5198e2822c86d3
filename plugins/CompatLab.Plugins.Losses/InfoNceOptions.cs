using System.ComponentModel;
using CompatLab.Abstractions.Plugins;
using CompatLab.Sdk.Options;

namespace CompatLab.Plugins.Losses;

/// <summary>Options of the point-to-point InfoNCE losses (contrastive, hot-refresh).</summary>
public sealed class InfoNceOptions : IValidatableOptions
{
    [Description("Temperature tau: logits are cosines divided by tau.")]
    public double Temperature { get; set; } = 0.05;

    public IEnumerable<string> Validate() => OptionChecks.Problems(OptionChecks.PositiveFinite("temperature", Temperature));
}
