using CompatLab.Abstractions;

namespace CompatLab.Engine.Plugins;

/// <summary>A plugin assembly or class that cannot be used, with the path and the reason.</summary>
public sealed class PluginLoadException : CompatLabUserException
{
    public PluginLoadException(string message)
        : base(message)
    {
    }
}
