using CompatLab.Abstractions.Plugins;

namespace CompatLab.Plugins.Protocols;

[CompatLabPlugin(PluginKind.Protocol, "extended-data", Description = "The old model learns a seeded fraction (data.split.oldDataFraction) of every class's images, the new model all of them.")]
public sealed class ExtendedData : ExtendedProtocol
{
}
