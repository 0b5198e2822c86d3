using CompatLab.Abstractions.Plugins;
using CompatLab.Engine.Configuration;

namespace CompatLab.Engine.Plugins;

/// <summary>Turns a <see cref="PluginRef"/> from configuration into a plugin instance with strictly bound options.</summary>
public sealed class PluginFactory
{
    private readonly PluginCatalog catalog;
    private readonly ConfigBinder binder;

    public PluginFactory(PluginCatalog catalog, ConfigBinder binder)
    {
        this.catalog = catalog;
        this.binder = binder;
    }

    /// <summary>
    /// Resolves and validates; returns null (with the problem recorded in the binder) when the name or the options
    /// are wrong, so every problem of a config can be reported together.
    /// </summary>
    public BoundPlugin? Bind(PluginKind kind, PluginRef reference, string key)
    {
        PluginDescriptor descriptor;
        try
        {
            descriptor = catalog.Find(kind, reference.Type, "{0}");
        }
        catch (PluginLoadException e)
        {
            binder.AddProblem($"{key}:type", e.Message.Replace("{0}: ", string.Empty, StringComparison.Ordinal));
            return null;
        }

        string optionsKey = $"{key}:options";
        if (descriptor.OptionsType is null)
        {
            if (reference.Options is not null && reference.Options.GetChildren().Any())
            {
                binder.AddProblem(optionsKey, $"{descriptor.KindName} '{descriptor.Name}' takes no options");
                return null;
            }

            return new BoundPlugin(descriptor, null);
        }

        int before = binder.Problems.Count;
        var options = binder.BindNew(descriptor.OptionsType, reference.Options, optionsKey);
        if (options is IValidatableOptions validatable)
        {
            foreach (string problem in validatable.Validate())
            {
                binder.AddProblem(optionsKey, problem);
            }
        }

        return binder.Problems.Count == before ? new BoundPlugin(descriptor, options) : null;
    }

    public T Create<T>(BoundPlugin plugin)
        where T : class => (T)catalog.Create(plugin.Descriptor, plugin.Options);
}
