using CompatLab.Abstractions.Plugins;

namespace CompatLab.Plugins.Protocols;

[CompatLabPlugin(PluginKind.Protocol, "extended-class", Description = "The old model learns some of the classes (data.split.oldClasses or oldClassFraction), the new model all of them.")]
public sealed class ExtendedClass : ExtendedProtocol
{
}
