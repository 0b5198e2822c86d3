using CompatLab.Engine.Plugins;

namespace CompatLab.Tests.Support;

/// <summary>The built-in plugins as the host loads them, from plugins/ beside the test assembly.</summary>
internal static class BuiltInPlugins
{
    public static PluginCatalog Load() => PluginCatalog.Load(new[] { PluginCatalog.DefaultDirectory });
}
