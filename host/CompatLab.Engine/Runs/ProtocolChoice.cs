using CompatLab.Abstractions;
using CompatLab.Abstractions.Plugins;
using CompatLab.Engine.Configuration;
using CompatLab.Engine.Plugins;

namespace CompatLab.Engine.Runs;

/// <summary>
/// Which protocol plugin runs an experiment: a prunnet section asks for the protocol of that name (the section is
/// its configuration), otherwise data.split.type names it. The protocol's own checks of the spec join the other
/// problems, so a file's problems are all reported at once.
/// </summary>
internal static class ProtocolChoice
{
    public const string PrunNet = "prunnet";

    public static BoundPlugin? Bind(ExperimentSpec spec, PluginFactory factory, ConfigBinder binder, PluginCatalog catalog)
    {
        bool prunNet = spec.Prunnet is not null;
        string key = prunNet ? PrunNet : "data:split";
        var protocol = factory.Bind(PluginKind.Protocol, new PluginRef(prunNet ? PrunNet : spec.Data.Split.Type), key);
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
}
