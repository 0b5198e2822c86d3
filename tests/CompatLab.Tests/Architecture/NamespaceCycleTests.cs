using System.Text.RegularExpressions;
using Xunit;

namespace CompatLab.Tests.Architecture;

/// <summary>
/// The engine's folders (namespaces) form a layered graph: no namespace depends, directly or through others, on
/// itself. Dependencies are read from the source under host/CompatLab.Engine: <c>using CompatLab.Engine.X;</c>
/// lines, fully qualified <c>CompatLab.Engine.X.Type</c> names, and <c>X.Type</c> where X is a sibling namespace
/// and Type is declared in it (a property that happens to be called like a namespace does not count).
/// </summary>
public sealed class NamespaceCycleTests
{
    private const string Prefix = "CompatLab.Engine.";

    [Fact]
    public void EngineNamespacesHaveNoCycles()
    {
        var graph = EngineGraph();
        Assert.True(graph.Count > 5, $"expected the engine's namespaces, found {graph.Count}");
        var cycles = Cycles(graph);
        Assert.True(cycles.Count == 0, "namespace cycles in the engine:\n" + string.Join("\n", cycles));
    }

    [Fact]
    public void ACycleIsFound()
    {
        var graph = new Dictionary<string, HashSet<string>>
        {
            ["A"] = new() { "B" },
            ["B"] = new() { "C" },
            ["C"] = new() { "A" },
            ["D"] = new() { "A" },
        };

        Assert.Equal(new[] { "A -> B -> C -> A" }, Cycles(graph));
    }

    internal static Dictionary<string, HashSet<string>> EngineGraph()
    {
        string root = Path.Combine(RepositoryRoot(), "host", "CompatLab.Engine");
        var files = Directory.GetFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => (Namespace: NamespaceOf(File.ReadAllText(f)), Text: WithoutComments(File.ReadAllText(f))))
            .Where(f => f.Namespace is not null)
            .ToList();
        var declared = files
            .GroupBy(f => f.Namespace!)
            .ToDictionary(g => g.Key, g => g.SelectMany(f => Regex.Matches(f.Text, @"\b(?:class|record|struct|interface|enum)\s+(\w+)").Select(m => m.Groups[1].Value)).ToHashSet());
        var graph = declared.Keys.ToDictionary(n => n, _ => new HashSet<string>());
        foreach (var (ns, text) in files)
        {
            foreach (Match used in Regex.Matches(text, @"^using (?:static )?CompatLab\.Engine\.(\w+)", RegexOptions.Multiline))
            {
                graph[ns!].Add(used.Groups[1].Value);
            }

            foreach (Match qualified in Regex.Matches(text, @"(?<![\w.])(?:CompatLab\.Engine\.)?(\w+)\.([A-Z]\w*)"))
            {
                string target = qualified.Groups[1].Value;
                if (declared.TryGetValue(target, out var types) && types.Contains(qualified.Groups[2].Value))
                {
                    graph[ns!].Add(target);
                }
            }

            graph[ns!].Remove(ns!);
        }

        return graph;
    }

    internal static List<string> Cycles(Dictionary<string, HashSet<string>> graph)
    {
        var cycles = new List<string>();
        var done = new HashSet<string>();
        foreach (string start in graph.Keys.OrderBy(k => k, StringComparer.Ordinal))
        {
            Visit(start, new List<string>(), graph, done, cycles);
        }

        return cycles;
    }

    private static void Visit(string node, List<string> path, Dictionary<string, HashSet<string>> graph, HashSet<string> done, List<string> cycles)
    {
        int seenAt = path.IndexOf(node);
        if (seenAt >= 0)
        {
            cycles.Add(string.Join(" -> ", path.Skip(seenAt).Append(node)));
            return;
        }

        if (done.Contains(node))
        {
            return;
        }

        path.Add(node);
        foreach (string next in graph.GetValueOrDefault(node, new HashSet<string>()).OrderBy(n => n, StringComparer.Ordinal))
        {
            Visit(next, path, graph, done, cycles);
        }

        path.RemoveAt(path.Count - 1);
        done.Add(node);
    }

    private static string? NamespaceOf(string text)
    {
        var match = Regex.Match(text, @"^namespace CompatLab\.Engine\.(\w+)", RegexOptions.Multiline);
        return match.Success ? match.Groups[1].Value : null;
    }

    private static string WithoutComments(string text) =>
        Regex.Replace(text, @"//[^\n]*|/\*.*?\*/", string.Empty, RegexOptions.Singleline);

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
