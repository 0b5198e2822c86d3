using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CompatLab.Engine.Configuration;

/// <summary>
/// --set for the matrix section, which is taken out of the configuration before binding: <c>matrix.seeds=[1,2]</c>,
/// <c>matrix.seeds.0=4</c>, <c>matrix.axes.new.lambda=[1,2]</c> (an axis named by its dotted key),
/// <c>matrix.axes.new.lambda.1=3</c>, <c>matrix.exclude=[...]</c>. Values are read as JSON, or as text when they are not JSON.
/// </summary>
public static class MatrixOverrides
{
    private const string Prefix = "matrix.";
    private static readonly string[] Sections = { "axes", "seeds", "include", "exclude" };

    public static bool Addresses(string set) => set.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) && set.IndexOf('=', StringComparison.Ordinal) > Prefix.Length;

    /// <summary>Applies one --set to <paramref name="matrix"/> (created when absent) and returns it.</summary>
    public static JsonObject Apply(JsonObject? matrix, string set)
    {
        matrix ??= new JsonObject();
        int equals = set.IndexOf('=', StringComparison.Ordinal);
        string path = set[Prefix.Length..equals].Trim();
        var value = Parse(set[(equals + 1)..]);
        int dot = path.IndexOf('.', StringComparison.Ordinal);
        string section = dot < 0 ? path : path[..dot];
        string rest = dot < 0 ? string.Empty : path[(dot + 1)..];
        if (!Sections.Contains(section, StringComparer.OrdinalIgnoreCase))
        {
            throw new ConfigException(new[] { $"--set {set}: matrix.{section}: unknown key{NameSuggester.Hint(section, Sections)}" });
        }

        section = section.ToLowerInvariant();
        if (section != "axes")
        {
            SetItem(matrix, section, rest, value, set);
            return matrix;
        }

        if (rest.Length == 0)
        {
            matrix["axes"] = value;
            return matrix;
        }

        var axes = matrix["axes"] as JsonObject ?? new JsonObject();
        matrix["axes"] = axes;

        // Axis names contain dots themselves: an existing axis that the path starts with is the one meant.
        string? axis = axes.Select(p => p.Key).Where(k => rest == k || rest.StartsWith(k + ".", StringComparison.Ordinal)).MaxBy(k => k.Length);
        if (axis is null)
        {
            axes[rest] = value;
            return matrix;
        }

        SetItem(axes, axis, rest[axis.Length..].TrimStart('.'), value, set);
        return matrix;
    }

    private static void SetItem(JsonObject parent, string key, string index, JsonNode? value, string set)
    {
        if (index.Length == 0)
        {
            parent[key] = value;
            return;
        }

        if (parent[key] is not JsonArray list || !int.TryParse(index, NumberStyles.None, CultureInfo.InvariantCulture, out int i) || i > list.Count)
        {
            throw new ConfigException(new[] { $"--set {set}: matrix {key}.{index}: no such list item; give the whole list, e.g. --set {Prefix}{key}=[1,2]" });
        }

        if (i == list.Count)
        {
            list.Add(value);
        }
        else
        {
            list[i] = value;
        }
    }

    private static JsonNode? Parse(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return JsonValue.Create(text);
        }
    }
}
