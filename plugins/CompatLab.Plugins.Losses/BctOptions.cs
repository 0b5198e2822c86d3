using System.ComponentModel;
using CompatLab.Abstractions.Plugins;

namespace CompatLab.Plugins.Losses;

public sealed class BctOptions : IValidatableOptions
{
    [Description("Scale each synthesised new-class column to the mean norm of the trained rows; false keeps the raw class means (the paper).")]
    public bool RescaleSynthesised { get; set; } = true;

    public IEnumerable<string> Validate()
    {
        yield break;
    }
}
