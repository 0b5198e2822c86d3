using Autofac;
using CompatLab.Abstractions;
using CompatLab.Abstractions.Losses;
using CompatLab.Abstractions.Plugins;
using CompatLab.Engine.Configuration;
using Microsoft.Extensions.Configuration;

namespace CompatLab.Engine.Plugins;

/// <summary>
/// The host's <see cref="ICompatibilityLossFactory"/>: a loss found by name in the catalog, its options bound and
/// validated exactly as from an experiment file, every problem reported at once and prefixed with where it was asked.
/// </summary>
public sealed class LossTermFactory : ICompatibilityLossFactory
{
    private readonly PluginCatalog catalog;
    private readonly Func<PluginDescriptor, object?, object> create;

    /// <summary>Makes terms outside any run (their constructors get the catalog's run-less services).</summary>
    public LossTermFactory(PluginCatalog catalog)
        : this(catalog, catalog.Create)
    {
    }

    /// <param name="scope">Where terms are created: a run's scope, so a term's constructor gets the run's services.</param>
    internal LossTermFactory(PluginCatalog catalog, ILifetimeScope scope)
        : this(catalog, (descriptor, options) => catalog.Create(scope, descriptor, options))
    {
    }

    private LossTermFactory(PluginCatalog catalog, Func<PluginDescriptor, object?, object> create)
    {
        this.catalog = catalog;
        this.create = create;
    }

    public ICompatibilityLoss Create(string type, IReadOnlyDictionary<string, string>? options, string where)
    {
        PluginDescriptor descriptor = catalog.Find(PluginKind.CompatibilityLoss, type, where);
        bool given = options is { Count: > 0 };
        if (descriptor.OptionsType is null)
        {
            return given
                ? throw new CompatLabUserException($"{where}: loss '{type}' takes no options, but options were given ({string.Join(", ", options!.Keys)})")
                : (ICompatibilityLoss)create(descriptor, null);
        }

        var binder = new ConfigBinder(new ConfigProvenance(where));
        object bound = binder.BindNew(descriptor.OptionsType, given ? Section(options!) : null, "options");
        if (bound is IValidatableOptions validatable)
        {
            foreach (string problem in validatable.Validate())
            {
                binder.AddProblem("options", problem);
            }
        }

        binder.ThrowIfProblems();
        return (ICompatibilityLoss)create(descriptor, bound);
    }

    private static IConfigurationSection Section(IReadOnlyDictionary<string, string> options) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(options.Select(o => new KeyValuePair<string, string?>($"options:{o.Key}", o.Value)))
            .Build()
            .GetSection("options");
}
