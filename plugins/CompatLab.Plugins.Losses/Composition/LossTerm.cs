using System.ComponentModel;
using CompatLab.Sdk.Options;

namespace CompatLab.Plugins.Losses.Composition;

/// <summary>One term of <c>sum</c>: a loss plugin by name, its weight and its options (as in an experiment file).</summary>
public sealed class LossTerm
{
    [Description("The loss plugin's name.")]
    public string Type { get; set; } = string.Empty;

    [Description("The term's weight w_k, a finite number of at least 0.")]
    public double Weight { get; set; } = 1;

    [Description("The loss plugin's own options.")]
    public Dictionary<string, string> Options { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>What is wrong with the term, each message starting with <paramref name="where"/>.</summary>
    public IEnumerable<string> Problems(string where)
    {
        if (string.IsNullOrWhiteSpace(Type))
        {
            yield return $"{where}: the term names no loss; give its 'type', e.g. \"bct\".";
        }
        else if (Type == WeightedSum.PluginName)
        {
            // A sum's terms are flat; nesting would only regroup the same weighted terms.
            yield return $"{where}: a sum cannot be a term of a sum; list its terms here, with their weights multiplied.";
        }

        if (OptionChecks.NonNegativeFinite($"{where}.weight", Weight) is { } weight)
        {
            yield return weight;
        }
    }
}
