using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CompatLab.Engine.Configuration;

namespace CompatLab.Engine.Matrix;

/// <summary>
/// Expands an experiment's <c>matrix</c> section into cells. <c>axes</c> maps a dotted config key to the list of
/// values it takes (scalars, or objects that replace the whole section); <c>seeds</c> adds the run seed as one
/// more axis. Cells are the cartesian product, in the order the axes are written. No matrix section: one cell.
/// </summary>
public static class MatrixExpander
{
    private static readonly string[] Keys = { "axes", "seeds" };

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

        var axes = new List<(string Path, List<JsonNode?> Values)>();
        if (Get(document.Matrix, "axes") is { } axesNode)
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

        if (Get(document.Matrix, "seeds") is { } seedsNode)
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

        if (problems.Count > 0)
        {
            throw new ConfigException(problems);
        }

        var cells = new List<MatrixCell>();
        foreach (var combination in Product(axes))
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
            cells.Add(new MatrixCell(label, content, values));
        }

        return cells;
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
