using System.Reflection;
using Xunit;
using CompatLab.Abstractions.Losses;
using CompatLab.Abstractions.Plugins;

namespace CompatLab.Tests.Losses;

/// <summary>
/// Creates loss plugins the way the host does: from the plugin assembly copied under plugins/, found by name, with
/// an options instance whose properties are set from a dictionary (as if bound from config).
/// </summary>
internal static class LossPlugins
{
    private static readonly Lazy<Assembly> Assembly = new(() => System.Reflection.Assembly.LoadFrom(
        Path.Combine(AppContext.BaseDirectory, "plugins", "CompatLab.Plugins.Losses", "CompatLab.Plugins.Losses.dll")));

    public static ICompatibilityLoss Create(string name, IReadOnlyDictionary<string, object>? options = null)
    {
        (Type type, CompatLabPluginAttribute plugin) = Find(name);
        if (plugin.Options is null)
        {
            Assert.Null(options);
            return (ICompatibilityLoss)Activator.CreateInstance(type)!;
        }

        object bound = NewOptions(name, options);
        try
        {
            return (ICompatibilityLoss)Activator.CreateInstance(type, bound)!;
        }
        catch (TargetInvocationException invocation) when (invocation.InnerException is not null)
        {
            throw invocation.InnerException;
        }
    }

    /// <summary>The plugin's options object with defaults, then the given properties set.</summary>
    public static IValidatableOptions NewOptions(string name, IReadOnlyDictionary<string, object>? options = null)
    {
        Type optionsType = Find(name).Plugin.Options!;
        var bound = (IValidatableOptions)Activator.CreateInstance(optionsType)!;
        foreach ((string key, object value) in options ?? new Dictionary<string, object>())
        {
            optionsType.GetProperty(key)!.SetValue(bound, value);
        }

        return bound;
    }

    /// <summary>A public type of the plugin assembly (shared machinery), for tests that exercise it directly.</summary>
    public static Type SharedType(string fullName) => Assembly.Value.GetType(fullName, throwOnError: true)!;

    /// <summary>A public type of the SDK copy the plugin carries beside itself.</summary>
    public static Type SdkType(string fullName) => System.Reflection.Assembly.LoadFrom(
        Path.Combine(Path.GetDirectoryName(Assembly.Value.Location)!, "CompatLab.Sdk.dll")).GetType(fullName, throwOnError: true)!;

    private static (Type Type, CompatLabPluginAttribute Plugin) Find(string name) =>
        Assembly.Value.GetExportedTypes()
            .Select(t => (Type: t, Plugin: t.GetCustomAttribute<CompatLabPluginAttribute>()))
            .Where(p => p.Plugin is { Kind: PluginKind.CompatibilityLoss } && p.Plugin.Name == name)
            .Select(p => (p.Type, p.Plugin!))
            .Single();
}
