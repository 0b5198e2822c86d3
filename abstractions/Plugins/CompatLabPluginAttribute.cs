namespace CompatLab.Abstractions.Plugins;

/// <summary>
/// Marks a class as a plugin. The host finds it by <see cref="Kind"/> and <see cref="Name"/> (a short lower-case
/// word with hyphens, stable once released). The class must implement the kind's contract interface and have a
/// public constructor; if <see cref="Options"/> is set, that constructor takes one instance of it, bound from the
/// plugin's <c>options</c> section of the experiment file.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class CompatLabPluginAttribute : Attribute
{
    public CompatLabPluginAttribute(PluginKind kind, string name)
    {
        Kind = kind;
        Name = name;
    }

    public PluginKind Kind { get; }

    public string Name { get; }

    public string Description { get; init; } = string.Empty;

    /// <summary>A class with a public parameterless constructor whose property defaults are the plugin's defaults.</summary>
    public Type? Options { get; init; }

    /// <summary>
    /// For a loss: it trains the reference new* model that update gain compares against (no compatibility term).
    /// A matrix computes each run's update gain against the run of such a loss that shares its old model.
    /// </summary>
    public bool UpdateGainReference { get; init; }

    /// <summary>
    /// For a protocol: the top-level configuration section it owns (for example <c>"prunnet"</c>). An experiment
    /// that gives the section runs this protocol whatever <c>data.split.type</c> says; empty: the protocol is
    /// chosen by <c>data.split.type</c> alone. Two loaded protocols may not claim one section.
    /// </summary>
    public string Section { get; init; } = string.Empty;
}
