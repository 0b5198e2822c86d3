using System.Text.Json;
using CompatLab.Abstractions.Plugins;
using CompatLab.Engine.Data;
using CompatLab.Engine.Runs;
using CompatLab.Engine.Configuration;
using Microsoft.Extensions.Configuration;

namespace CompatLab.Plugins.Protocols;

/// <summary>
/// The old model learns some of the classes, as in extended-class; the new model learns all of them with another
/// backbone (new.backbone), so the question is whether compatibility survives an architecture change.
/// </summary>
[CompatLabPlugin(PluginKind.Protocol, "extended-backbone", Description = "Like extended-class, but the new model has its own backbone (new.backbone, required and different from model.backbone).")]
public sealed class ExtendedBackbone : ExtendedProtocol
{
    public override IEnumerable<(string Key, string Problem)> Check(ExperimentSpec spec)
    {
        foreach (var problem in base.Check(spec))
        {
            yield return problem;
        }

        var (old, @new) = (spec.Model.Backbone, spec.New.Backbone);
        if (string.IsNullOrWhiteSpace(@new.Type))
        {
            yield return ("data:split:type", $"extended-backbone trains the new model on another backbone: set new.backbone (e.g. {{ \"type\": \"cnn4\" }}); model.backbone is \"{old.Type}\"");
        }
        else if (@new.Type == old.Type && Options(@new) == Options(old))
        {
            yield return ("new:backbone", $"data.split.type extended-backbone needs a new.backbone that differs from model.backbone; both are \"{old.Type}\" with the same options");
        }
    }

    private static string Options(PluginRef plugin) =>
        JsonSerializer.Serialize(plugin.Options?.AsEnumerable(true).Where(p => p.Value is not null).OrderBy(p => p.Key, StringComparer.Ordinal).ToList() ?? []);

    protected override StageData OldStage(RunSession session) => ProtocolSplit.ClassStage(session.Dataset, session.Spec.Data.Split);
}
