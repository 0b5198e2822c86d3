using System.ComponentModel;

namespace CompatLab.Engine.Configuration;

public sealed class DataSpec
{
    [Description("The dataset plugin.")]
    public PluginRef Dataset { get; set; } = new("fashion-mnist");

    public SplitSpec Split { get; set; } = new();
}
