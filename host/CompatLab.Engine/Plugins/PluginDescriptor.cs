using CompatLab.Abstractions.Plugins;

namespace CompatLab.Engine.Plugins;

/// <summary>One plugin class found in a loaded assembly.</summary>
public sealed record PluginDescriptor(
    PluginKind Kind,
    string Name,
    string Description,
    string Version,
    string AssemblyPath,
    Type Implementation,
    Type? OptionsType)
{
    /// <summary>Set by <see cref="CompatLabPluginAttribute.UpdateGainReference"/>: the loss whose runs update gain compares against.</summary>
    public bool UpdateGainReference { get; init; }

    /// <summary>Set by <see cref="CompatLabPluginAttribute.Section"/>: the configuration section a protocol owns, or empty.</summary>
    public string Section { get; init; } = string.Empty;

    /// <summary>The SHA-256 of the assembly file, taken once when it was loaded; part of every run's identity.</summary>
    public string AssemblySha256 { get; init; } = string.Empty;

    public string KindName => PluginKinds.DisplayName(Kind);

    public string AssemblyName => Implementation.Assembly.GetName().Name ?? Path.GetFileNameWithoutExtension(AssemblyPath);
}
