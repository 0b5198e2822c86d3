using System.ComponentModel;

namespace CompatLab.Engine.Configuration;

public sealed class PluginsSpec
{
    [Description("Extra plugin directories searched after the built-in one (relative to the working directory).")]
    public List<string> Directories { get; set; } = new();
}
