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

    public LossTermFactory(PluginCatalog catalog)
    {
        this.catalog = catalog;
    }

    public ICompatibilityLoss Create(string type, IReadOnlyDictionary<string, string>? options, string where)
    {
        PluginDescriptor descriptor = catalog.Find(PluginKind.CompatibilityLoss, type, where);
        bool given = options is { Count: > 0 };
        if (descriptor.OptionsType is null)
        {
            return given
                ? throw new CompatLabUserException($"{where}: loss '{type}' takes no options, but options were given ({string.Join(", ", options!.Keys)})")
                : (ICompatibilityLoss)catalog.Create(descriptor, null);
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
        return (ICompatibilityLoss)catalog.Create(descriptor, bound);
    }

    private static IConfigurationSection Section(IReadOnlyDictionary<string, string> options) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(options.Select(o => new KeyValuePair<string, string?>($"options:{o.Key}", o.Value)))
            .Build()
            .GetSection("options");
}
