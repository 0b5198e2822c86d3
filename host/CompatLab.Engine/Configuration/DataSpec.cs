using System.ComponentModel;

namespace CompatLab.Engine.Configuration;

public sealed class DataSpec
{
    [Description("The dataset plugin; default from defaults.json.")]
    public PluginRef Dataset { get; set; } = new();

    public SplitSpec Split { get; set; } = new();

    [Description("How training batches are loaded (prefetch); absent: the defaults. Never changes a result.")]
    [OptionalSection]
    public LoaderSpec? Loader { get; set; }
}
