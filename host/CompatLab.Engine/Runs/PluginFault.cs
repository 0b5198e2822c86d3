using System.Diagnostics;
using System.Reflection;
using CompatLab.Abstractions.Plugins;
using CompatLab.Engine.Plugins;

namespace CompatLab.Engine.Runs;

/// <summary>
/// Which plugin an exception came out of, read from its stack: of the plugin assembly nearest the throw, the
/// outermost frame is where the host (or a protocol plugin) called into the plugin, so its class is the plugin and
/// its method the phase (Prepare, Compute, Load ...).
/// </summary>
public sealed record PluginFault(PluginDescriptor? Plugin, string AssemblyName, string Method)
{
    /// <summary>"loss plugin 'bct'", or the assembly when the throwing class is a helper shared by several plugins.</summary>
    public string Describe() => Plugin is { } p ? $"{p.KindName} plugin '{p.Name}'" : $"a plugin of {AssemblyName}";

    public string Phase => Method == ".ctor" ? "its constructor" : Method;

    public static PluginFault? Find(Exception exception, IReadOnlyList<PluginDescriptor> plugins)
    {
        var frames = new StackTrace(exception, false).GetFrames();
        var throwSite = frames.FirstOrDefault()?.GetMethod()?.DeclaringType?.Assembly;

        // A protocol plugin drives the engine's own stages: an error the engine raises under it (a full disk while
        // checkpointing) is not the protocol's, so protocol code is blamed only for what it threw itself.
        var assemblies = plugins
            .Where(p => p.Kind != PluginKind.Protocol || p.Implementation.Assembly == throwSite)
            .Select(p => p.Implementation.Assembly)
            .ToHashSet();
        MethodBase? entry = null;
        Assembly? thrower = null;
        foreach (var frame in frames)
        {
            // The plugin assembly nearest the throw is the culprit (a protocol plugin calls into loss plugins, say);
            // its outermost frame is where the caller entered it. Frames run from the throw outwards.
            if (frame.GetMethod() is { DeclaringType: { } type } method && assemblies.Contains(type.Assembly) && (thrower ??= type.Assembly) == type.Assembly)
            {
                entry = method;
            }
        }

        if (entry is null)
        {
            return exception.InnerException is { } inner ? Find(inner, plugins) : null;
        }

        var owner = entry.DeclaringType!;
        while (owner.DeclaringType is { } outer)
        {
            owner = outer; // lambdas and iterators live in nested compiler-made classes
        }

        var plugin = plugins.FirstOrDefault(p => p.Implementation == owner);
        return new PluginFault(plugin, owner.Assembly.GetName().Name ?? owner.Assembly.FullName ?? "?", MethodName(entry));
    }

    /// <summary>The method as written: compiler-made names such as &lt;Compute&gt;b__0 give back Compute.</summary>
    private static string MethodName(MethodBase method)
    {
        string name = method.Name;
        if (method.DeclaringType?.Name is { } typeName && typeName.StartsWith('<') && name == "MoveNext")
        {
            name = typeName;
        }

        int open = name.IndexOf('<', StringComparison.Ordinal);
        int close = name.IndexOf('>', StringComparison.Ordinal);
        return open >= 0 && close > open + 1 ? name[(open + 1)..close] : name;
    }
}
