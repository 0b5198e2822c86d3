using System.ComponentModel;
using CompatLab.Abstractions.Plugins;
using CompatLab.Sdk.Options;

namespace CompatLab.Plugins.Pruning;

public sealed class TaylorOptions : IValidatableOptions
{
    [Description("Training batches over which the loss gradient dL/dW is accumulated before scoring.")]
    public int Batches { get; set; } = 4;

    public IEnumerable<string> Validate() => OptionChecks.Problems(OptionChecks.AtLeast("batches", Batches, 1));
}
