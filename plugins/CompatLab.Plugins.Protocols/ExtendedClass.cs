using CompatLab.Abstractions.Plugins;
using CompatLab.Engine.Data;
using CompatLab.Engine.Runs;

namespace CompatLab.Plugins.Protocols;

[CompatLabPlugin(PluginKind.Protocol, "extended-class", Description = "The old model learns some of the classes (data.split.oldClasses or oldClassFraction), the new model all of them.")]
public sealed class ExtendedClass : ExtendedProtocol
{
    protected override StageData OldStage(RunSession session) => ProtocolSplit.ClassStage(session.Dataset, session.Spec.Data.Split);
}
