using System.ComponentModel;
using CompatLab.Abstractions.Plugins;
using CompatLab.Sdk.Options;

namespace CompatLab.Plugins.Losses;

/// <summary>Options every prototype-perturbation loss (ndpp, odpp) shares.</summary>
public abstract class PrototypePerturbationOptions : IValidatableOptions
{
    [Description("Scale s of the logits s * cos(phi_n(x), p_c).")]
    public double Scale { get; set; } = 20;

    [Description("Refresh interval R in optimiser steps: delta is 0 until step R, then recomputed every R steps.")]
    public long RefreshInterval { get; set; } = 100;

    [Description("Momentum of the new-prototype moving average: m_c <- momentum * m_c + (1 - momentum) * batch mean.")]
    public double Momentum { get; set; } = 0.9;

    [Description("Bound eps on every ||delta_c||; 0 turns the perturbation off (bct-proto).")]
    public double Eps { get; set; } = 0.3;

    public virtual IEnumerable<string> Validate() => OptionChecks.Problems(
        OptionChecks.PositiveFinite("scale", Scale),
        OptionChecks.AtLeast("refreshInterval", RefreshInterval, 1),
        OptionChecks.Fraction("momentum", Momentum),
        OptionChecks.NonNegativeFinite("eps", Eps));
}
