using System.ComponentModel;
using CompatLab.Abstractions.Plugins;

namespace CompatLab.Plugins.Integrators;

public sealed class ConflictAwareOptions : IValidatableOptions
{
    [Description("Exponent p of the task weights a_i = ((cos(projected_i, g_i) + 1) / 2)^p; 0 gives equal weights.")]
    public double P { get; set; } = 0.5;

    public IEnumerable<string> Validate()
    {
        if (!double.IsFinite(P) || P < 0)
        {
            yield return $"Option 'p' must be a finite number of at least 0; got {P}.";
        }
    }
}
