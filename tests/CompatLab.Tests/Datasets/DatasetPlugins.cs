using System.Reflection;
using System.Runtime.ExceptionServices;
using CompatLab.Abstractions.Data;
using CompatLab.Abstractions.Plugins;
using Microsoft.Extensions.Configuration;

namespace CompatLab.Tests.Datasets;

/// <summary>
/// Builds dataset plugins as the host does: from the built plugin assembly in plugins/ beside the tests, with
/// options bound from configuration keys (unknown keys are errors, so a misspelt option name fails the test).
/// </summary>
internal static class DatasetPlugins
{
    private static readonly Lazy<Assembly> PluginAssembly = new(() => Assembly.LoadFrom(
        Path.Combine(AppContext.BaseDirectory, "plugins", "CompatLab.Plugins.Datasets", "CompatLab.Plugins.Datasets.dll")));

    public static IDatasetProvider Create(string name, IDictionary<string, string?>? options = null)
    {
        var (pluginType, optionsValue) = Bind(name, options);
        try
        {
            return (IDatasetProvider)Activator.CreateInstance(pluginType, optionsValue)!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }

    public static IReadOnlyList<string> Validate(string name, IDictionary<string, string?>? options = null) =>
        ((IValidatableOptions)Bind(name, options).Options).Validate().ToList();

    public static DatasetBundle Load(string name, IDictionary<string, string?>? options = null, int seed = 1) =>
        Create(name, options).Load(new DatasetLoadContext(seed));

    private static (Type Plugin, object Options) Bind(string name, IDictionary<string, string?>? options)
    {
        var pluginType = PluginAssembly.Value.GetTypes().Single(t =>
            t.GetCustomAttribute<CompatLabPluginAttribute>() is { Kind: PluginKind.Dataset } attribute && attribute.Name == name);
        var optionsType = pluginType.GetCustomAttribute<CompatLabPluginAttribute>()!.Options!;
        object optionsValue = Activator.CreateInstance(optionsType)!;
        new ConfigurationBuilder()
            .AddInMemoryCollection(options ?? new Dictionary<string, string?>())
            .Build()
            .Bind(optionsValue, binder => binder.ErrorOnUnknownConfiguration = true);
        return (pluginType, optionsValue);
    }
}
