using System.ComponentModel;
using Microsoft.Extensions.Configuration;

namespace CompatLab.Engine.Configuration;

/// <summary>A plugin chosen by name, with its raw options section (bound later against the plugin's own options type).</summary>
public sealed class PluginRef
{
    public PluginRef()
    {
    }

    public PluginRef(string type)
    {
        Type = type;
    }

    [Description("The plugin's name.")]
    public string Type { get; set; } = string.Empty;

    [OpaqueSection]
    [Description("The plugin's options; see `compatlab plugins`.")]
    public IConfigurationSection? Options { get; set; }
}
