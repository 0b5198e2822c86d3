using CompatLab.Abstractions.Plugins;
using CompatLab.Engine.Data;
using CompatLab.Engine.Runs;

namespace CompatLab.Plugins.Protocols;

[CompatLabPlugin(PluginKind.Protocol, "extended-data", Description = "The old model learns a seeded fraction (data.split.oldDataFraction) of every class's images, the new model all of them.")]
public sealed class ExtendedData : ExtendedProtocol
{
    protected override StageData OldStage(RunSession session) => ProtocolSplit.DataStage(session.Dataset, session.Spec.Data.Split.OldDataFraction, session.IntSeed("old-data"));
}
