using System.Reflection;
using CompatLab.Abstractions.Plugins;

namespace CompatLab.Tests.Conformance;

/// <summary>
/// Every plugin class in the built plugin assemblies copied under plugins/ beside the tests (one folder per
/// assembly, as the host loads them), so a new built-in is covered without editing any list.
/// </summary>
internal static class BuiltInPluginTypes
{
    private static readonly Lazy<IReadOnlyList<Type>> Types = new(Discover);

    public static IReadOnlyList<Type> All => Types.Value;

    public static Type Find(PluginKind kind, string name) =>
        All.Single(t => t.GetCustomAttribute<CompatLabPluginAttribute>() is { } a && a.Kind == kind && a.Name == name);

    private static IReadOnlyList<Type> Discover()
    {
        string root = Path.Combine(AppContext.BaseDirectory, "plugins");
        return Directory.GetDirectories(root)
            .Select(folder => Path.Combine(folder, Path.GetFileName(folder) + ".dll"))
            .Where(File.Exists)
            .SelectMany(path => Assembly.LoadFrom(path).GetExportedTypes())
            .Where(t => t.GetCustomAttribute<CompatLabPluginAttribute>() is not null)
            .OrderBy(t => t.GetCustomAttribute<CompatLabPluginAttribute>()!.Kind)
            .ThenBy(t => t.GetCustomAttribute<CompatLabPluginAttribute>()!.Name, StringComparer.Ordinal)
            .ToList();
    }
}
