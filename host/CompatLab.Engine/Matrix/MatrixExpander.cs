using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CompatLab.Engine.Configuration;

namespace CompatLab.Engine.Matrix;

/// <summary>
/// Expands an experiment's <c>matrix</c> section into cells. <c>axes</c> maps a dotted config key to the list of
/// values it takes (scalars, or objects that replace the whole section); <c>seeds</c> adds the run seed as one
/// more axis. Cells are the cartesian product, in the order the axes are written. <c>include</c> (keep only cells
/// matching one of its rules) and <c>exclude</c> (drop cells matching any of its rules) filter it; a rule maps
/// axis keys to values and matches a cell whose values are all equal (an object value matches by its type).
/// No matrix section: one cell.
/// </summary>
public static class MatrixExpander
{
    private static readonly string[] Keys = { "axes", "seeds", "include", "exclude" };

    public static IReadOnlyList<MatrixCell> Expand(ExperimentDocument document)
    {
        if (document.Matrix is null)
        {
            return new[] { new MatrixCell("run", document.CloneContent(), new Dictionary<string, string>()) };
        }

        var problems = new List<string>();
        foreach (var (key, _) in document.Matrix)
        {
            if (!Keys.Contains(key, StringComparer.OrdinalIgnoreCase))
            {
                problems.Add($"{document.Path}: matrix.{key}: unknown key{NameSuggester.Hint(key, Keys)}");
            }
        }

        var axes = Axes(document, problems);
        var include = Rules(document, "include", problems);
        var exclude = Rules(document, "exclude", problems);
        if (problems.Count > 0)
        {
            throw new ConfigException(problems);
        }

        var cells = Product(axes).Select(combination => Cell(document, combination))
            .Where(cell => (include.Count == 0 || include.Any(rule => Matches(rule, cell.AxisValues))) && !exclude.Any(rule => Matches(rule, cell.AxisValues)))
            .ToList();
        return cells.Count > 0
            ? cells
            : throw new ConfigException(new[] { $"{document.Path}: matrix: include/exclude leave no cell to run" });
    }

    /// <summary>The axes in the order written, then the seeds as the last axis; problems are collected, not thrown.</summary>
    private static List<(string Path, List<JsonNode?> Values)> Axes(ExperimentDocument document, List<string> problems)
    {
        var axes = new List<(string Path, List<JsonNode?> Values)>();
        if (Get(document.Matrix!, "axes") is { } axesNode)
        {
            if (axesNode is not JsonObject axesObject)
            {
                problems.Add($"{document.Path}: matrix.axes: expected an object mapping config keys to lists of values");
            }
            else
            {
                foreach (var (path, values) in axesObject)
                {
                    if (values is not JsonArray array || array.Count == 0)
                    {
                        problems.Add($"{document.Path}: matrix.axes.{path}: expected a non-empty list of values");
                        continue;
                    }

                    axes.Add((path, array.Select(v => v?.DeepClone()).ToList()));
                }
            }
        }

        if (Get(document.Matrix!, "seeds") is { } seedsNode)
        {
            if (seedsNode is not JsonArray seeds || seeds.Count == 0 || seeds.Any(s => s is not JsonValue v || !v.TryGetValue<int>(out _)))
            {
                problems.Add($"{document.Path}: matrix.seeds: expected a non-empty list of whole numbers");
            }
            else
            {
                axes.Add(("seed", seeds.Select(s => s?.DeepClone()).ToList()));
            }
        }

        return axes;
    }

    /// <summary>The document with one value per axis set in, each value's source recorded, labelled by its values.</summary>
    private static MatrixCell Cell(ExperimentDocument document, IReadOnlyList<(string Path, JsonNode? Value)> combination)
    {
        var content = document.CloneContent();
        var values = new Dictionary<string, string>();
        foreach (var (path, value) in combination)
        {
            JsonDocumentMerger.SetPath(content, path, value);
            values[path] = Describe(value);
            foreach (var (leaf, _) in JsonDocumentMerger.Leaves(value, path.Replace('.', ':')))
            {
                document.Provenance.Record(leaf, $"{document.Path} (matrix axis {path})");
            }
        }

        string label = combination.Count == 0 ? "run" : string.Join("_", combination.Select(c => Slug(c.Path == "seed" ? "s" + Describe(c.Value) : Describe(c.Value))));
        return new MatrixCell(label, content, values);
    }

    private static bool Matches(IReadOnlyDictionary<string, string> rule, IReadOnlyDictionary<string, string> values) =>
        rule.All(r => values.TryGetValue(r.Key, out var v) && v == r.Value);

    private static List<Dictionary<string, string>> Rules(ExperimentDocument document, string key, List<string> problems)
    {
        var rules = new List<Dictionary<string, string>>();
        if (Get(document.Matrix!, key) is not { } node)
        {
            return rules;
        }

        if (node is not JsonArray array || array.Any(r => r is not JsonObject))
        {
            problems.Add($"{document.Path}: matrix.{key}: expected a list of rules, each an object of axis key -> value");
            return rules;
        }

        foreach (JsonObject rule in array.Cast<JsonObject>())
        {
            rules.Add(rule.ToDictionary(p => p.Key, p => Describe(p.Value), StringComparer.OrdinalIgnoreCase));
        }

        return rules;
    }

    private static JsonNode? Get(JsonObject obj, string key) =>
        obj.FirstOrDefault(p => string.Equals(p.Key, key, StringComparison.OrdinalIgnoreCase)).Value;

    private static IEnumerable<List<(string Path, JsonNode? Value)>> Product(List<(string Path, List<JsonNode?> Values)> axes)
    {
        IEnumerable<List<(string, JsonNode?)>> result = new[] { new List<(string, JsonNode?)>() };
        foreach (var (path, values) in axes)
        {
            result = result.SelectMany(prefix => values.Select(v => new List<(string, JsonNode?)>(prefix) { (path, v) })).ToList();
        }

        return result;
    }

    private static string Describe(JsonNode? value) => value switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonObject o when o.FirstOrDefault(p => string.Equals(p.Key, "type", StringComparison.OrdinalIgnoreCase)).Value is JsonValue t => t.ToString(),
        null => "null",
        _ => value.ToJsonString(new JsonSerializerOptions { WriteIndented = false }),
    };

    private static string Slug(string text)
    {
        var builder = new StringBuilder();
        foreach (char c in text)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' ? c : '-');
        }

        return builder.ToString().Trim('-');
    }
}
