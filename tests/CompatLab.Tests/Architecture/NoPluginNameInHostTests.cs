using System.Text.RegularExpressions;
using CompatLab.Tests.Support;
using Xunit;

namespace CompatLab.Tests.Architecture;

/// <summary>
/// The engine and the CLI name no plugin: no string literal in host/**/*.cs equals the name of a built-in plugin.
/// Defaults that name plugins live in data (the engine's defaults.json, the CLI's cli-defaults.json).
/// </summary>
public sealed class NoPluginNameInHostTests
{
    /// <summary>Folders allowed to name plugins, each with its reason.</summary>
    private static readonly (string Folder, string Reason)[] Allowed =
    [
        ("host/CompatLab.Cli/SelfTest/", "the GPU self-test's fixtures: experiments it builds and runs, like test data"),
    ];

    [Fact]
    public void NoBuiltInPluginNameIsAStringLiteralInTheHost()
    {
        using var catalog = BuiltInPlugins.Load();
        var names = catalog.Plugins.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("prunnet", names);
        Assert.True(names.Count > 20, $"expected every built-in plugin, found {names.Count}");

        var found = HostSources()
            .SelectMany(file => Literals(file.Text).Where(names.Contains).Select(name => $"{file.Path}: \"{name}\""))
            .ToList();

        Assert.True(found.Count == 0, "plugin names in engine or CLI code (move them to defaults.json or cli-defaults.json):\n" + string.Join("\n", found));
    }

    [Fact]
    public void ALiteralPluginNameIsFound()
    {
        Assert.Equal(["mlflow", "a \"quoted\" word"], Literals("""var t = "mlflow"; // "bct" in a comment""" + "\nvar u = \"a \\\"quoted\\\" word\";").ToArray());
    }

    private static IEnumerable<(string Path, string Text)> HostSources()
    {
        string root = RepositoryRoot();
        return Directory.GetFiles(Path.Combine(root, "host"), "*.cs", SearchOption.AllDirectories)
            .Select(f => (Path: Path.GetRelativePath(root, f).Replace('\\', '/'), Full: f))
            .Where(f => !f.Path.Contains("/obj/", StringComparison.Ordinal) && !f.Path.Contains("/bin/", StringComparison.Ordinal))
            .Where(f => !Allowed.Any(a => f.Path.StartsWith(a.Folder, StringComparison.Ordinal)))
            .Select(f => (f.Path, File.ReadAllText(f.Full)));
    }

    /// <summary>The values of the regular string literals outside line comments, escapes undone.</summary>
    private static IEnumerable<string> Literals(string source)
    {
        string code = Regex.Replace(source, @"^\s*//[^\n]*|(?<=;)\s*//[^\n]*", string.Empty, RegexOptions.Multiline);
        return Regex.Matches(code, @"(?<![@$\w])""((?:[^""\\\n]|\\.)*)""").Select(m => Regex.Unescape(m.Groups[1].Value));
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Framework.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("the repository root (Framework.sln) was not found above " + AppContext.BaseDirectory);
    }
}
