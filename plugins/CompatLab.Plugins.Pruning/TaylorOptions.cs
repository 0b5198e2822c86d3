using System.ComponentModel;
using CompatLab.Abstractions.Plugins;

namespace CompatLab.Plugins.Pruning;

public sealed class TaylorOptions : IValidatableOptions
{
    [Description("Training batches over which the loss gradient dL/dW is accumulated before scoring.")]
    public int Batches { get; set; } = 4;

    public IEnumerable<string> Validate()
    {
        if (Batches < 1)
        {
            yield return $"Option 'batches' must be at least 1; got {Batches}.";
        }
    }
}
