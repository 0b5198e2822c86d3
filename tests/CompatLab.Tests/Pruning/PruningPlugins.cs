using CompatLab.Abstractions.Plugins;
using CompatLab.Abstractions.Training;
using CompatLab.Engine.Plugins;

namespace CompatLab.Tests.Pruning;

/// <summary>
/// Pruning criterion plugins created through the host's catalog, with options set as if bound from config. The
/// catalog reads only this family's folder, so these tests do not depend on the other plugin families.
/// </summary>
internal static class PruningPlugins
{
    private static readonly Lazy<PluginCatalog> Catalog = new(() =>
        PluginCatalog.Load([Path.Combine(PluginCatalog.DefaultDirectory, "CompatLab.Plugins.Pruning")]));

    public static IPruningCriterion Create(string name, IReadOnlyDictionary<string, object>? options = null)
    {
        var plugin = Catalog.Value.Find(PluginKind.PruningCriterion, name, "test");
        object? bound = null;
        if (plugin.OptionsType is not null)
        {
            bound = Activator.CreateInstance(plugin.OptionsType)!;
            foreach ((string key, object value) in options ?? new Dictionary<string, object>())
            {
                plugin.OptionsType.GetProperty(key)!.SetValue(bound, value);
            }
        }

        return (IPruningCriterion)Catalog.Value.Create(plugin, bound);
    }
}
