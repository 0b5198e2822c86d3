using CompatLab.Abstractions;
using CompatLab.Abstractions.Plugins;
using CompatLab.Engine.Configuration;
using CompatLab.Engine.Plugins;
using Microsoft.Extensions.Configuration;

namespace CompatLab.Engine.Runs;

/// <summary>
/// Which protocol plugin runs an experiment: a protocol that owns a configuration section the experiment gives
/// (<see cref="CompatLabPluginAttribute.Section"/>) runs it, otherwise data.split.type names it. The engine knows
/// no protocol by name. The protocol's own checks of the spec join the other problems, so a file's problems are
/// all reported at once.
/// </summary>
internal static class ProtocolChoice
{
    private const string SplitKey = "data:split";

    public static BoundPlugin? Bind(ExperimentSpec spec, IConfiguration root, PluginFactory factory, ConfigBinder binder, PluginCatalog catalog)
    {
        var (key, name) = Asked(spec, root, binder, catalog);
        var protocol = factory.Bind(PluginKind.Protocol, new PluginRef(name), key);
        if (protocol is null)
        {
            return null;
        }

        try
        {
            using var instance = ExperimentRunner.AsProtocol(catalog.Create(protocol.Descriptor, protocol.Options), protocol);
            foreach (var (problemKey, problem) in instance.Check(spec))
            {
                binder.AddProblem(problemKey, problem);
            }
        }
        catch (CompatLabUserException e)
        {
            binder.AddProblem(key + ":type", e.Message);
        }

        return protocol;
    }

    /// <summary>The key the protocol is asked for at (its owned section, or data.split) and its name.</summary>
    private static (string Key, string Name) Asked(ExperimentSpec spec, IConfiguration root, ConfigBinder binder, PluginCatalog catalog)
    {
        var owned = root.GetChildren()
            .Select(section => (section.Key, Owner: catalog.OwnerOfSection(section.Key)))
            .Where(s => s.Owner is not null)
            .ToList();
        if (owned.Count == 0)
        {
            return (SplitKey, spec.Data.Split.Type);
        }

        foreach (var other in owned.Skip(1))
        {
            binder.AddProblem(other.Key, $"this section runs the {other.Owner!.Name} protocol and section {owned[0].Key} runs {owned[0].Owner!.Name}; an experiment runs one protocol, so give one of them");
        }

        return (owned[0].Key, owned[0].Owner!.Name);
    }
}
