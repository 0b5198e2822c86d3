using System.Reflection;
using CompatLab.Abstractions.Models;
using CompatLab.Abstractions.Plugins;
using Microsoft.Extensions.Configuration;

namespace CompatLab.Tests.Backbones;

/// <summary>
/// Loads the built backbone plugin from the test output's plugins folder, as the host does, and binds options from
/// camelCase settings with the configuration binder.
/// </summary>
internal static class BackbonePlugins
{
    private static readonly Lazy<Assembly> PluginAssembly = new(() => Assembly.LoadFrom(
        Path.Combine(AppContext.BaseDirectory, "plugins", "CompatLab.Plugins.Backbones", "CompatLab.Plugins.Backbones.dll")));

    public static readonly string[] Names = ["resnet-mini", "cnn4"];

    public static Type PluginType(string name) =>
        PluginAssembly.Value.GetExportedTypes().Single(t =>
            t.GetCustomAttribute<CompatLabPluginAttribute>() is { Kind: PluginKind.Backbone } a && a.Name == name);

    public static CompatLabPluginAttribute Attribute(string name) =>
        PluginType(name).GetCustomAttribute<CompatLabPluginAttribute>()!;

    public static IValidatableOptions BindOptions(string name, IDictionary<string, string?>? settings = null)
    {
        Type optionsType = Attribute(name).Options!;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();
        object options = configuration.Get(optionsType, binder => binder.ErrorOnUnknownConfiguration = true)
            ?? Activator.CreateInstance(optionsType)!;
        return (IValidatableOptions)options;
    }

    public static IBackboneFactory Factory(string name, IDictionary<string, string?>? settings = null) =>
        Factory(name, BindOptions(name, settings));

    public static IBackboneFactory Factory(string name, IValidatableOptions options) =>
        (IBackboneFactory)Activator.CreateInstance(
            PluginType(name),
            BindingFlags.Public | BindingFlags.Instance | BindingFlags.CreateInstance | BindingFlags.DoNotWrapExceptions,
            binder: null,
            args: [options],
            culture: null)!;

    public static FeatureExtractor Create(
        string name,
        long channels = 1,
        long side = 28,
        IDictionary<string, string?>? settings = null,
        ILayerFactory? layers = null) =>
        Factory(name, settings).Create(new BackboneContext(channels, side, side, layers ?? new MaskableLayerFactory()));

    public static IReadOnlyList<(string Name, IMaskableLayer Layer)> MaskableLayers(FeatureExtractor network) =>
        network.named_modules()
            .Where(m => m.module is IMaskableLayer)
            .Select(m => (m.name, (IMaskableLayer)m.module))
            .ToList();
}
