using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CompatLab.Engine.Reproducibility;

/// <summary>
/// Compares two results documents value by value: numbers within an absolute tolerance, everything else exactly.
/// Keys that name where a run lives (its folder) are not results and are skipped. A value present on one side
/// only is a difference too.
/// </summary>
public static class ResultComparison
{
    public const double DefaultTolerance = 1e-6;
    private static readonly HashSet<string> NotResults = new(StringComparer.OrdinalIgnoreCase) { "runFolder" };

    public static IReadOnlyList<ValueDifference> Compare(JsonNode? expected, JsonNode? actual, double tolerance = DefaultTolerance)
    {
        var left = Flatten(expected);
        var right = Flatten(actual);
        var differences = new List<ValueDifference>();
        foreach (string path in left.Keys.Union(right.Keys).Order(StringComparer.Ordinal))
        {
            string? a = left.GetValueOrDefault(path);
            string? b = right.GetValueOrDefault(path);
            if (!Same(a, b, tolerance))
            {
                differences.Add(new ValueDifference(path, a, b, Gap(a, b)));
            }
        }

        return differences;
    }

    /// <summary>A Markdown table of the differences: value, expected, actual and their absolute difference.</summary>
    public static string Table(IReadOnlyList<ValueDifference> differences, string expectedName = "original", string actualName = "rerun")
    {
        var text = new StringBuilder($"| value | {expectedName} | {actualName} | difference |\n|---|---|---|---|\n");
        foreach (var d in differences)
        {
            string gap = d.Difference is { } g ? g.ToString("G6", CultureInfo.InvariantCulture) : "-";
            text.Append($"| {d.Path} | {d.Expected ?? "(none)"} | {d.Actual ?? "(none)"} | {gap} |\n");
        }

        return text.ToString();
    }

    /// <summary>Every leaf value by its path ("cross.map", "subnetworks[2].subSelf.map"), as its JSON text.</summary>
    public static Dictionary<string, string> Flatten(JsonNode? node)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        Walk(node, string.Empty, values);
        return values;
    }

    private static void Walk(JsonNode? node, string path, Dictionary<string, string> values)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj.Where(p => !NotResults.Contains(p.Key)))
                {
                    Walk(child, path.Length == 0 ? key : $"{path}.{key}", values);
                }

                break;
            case JsonArray array:
                for (int i = 0; i < array.Count; i++)
                {
                    Walk(array[i], $"{path}[{i}]", values);
                }

                break;
            case null:
                values[path] = "null";
                break;
            default:
                values[path] = node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : node.ToJsonString();
                break;
        }
    }

    private static bool Same(string? a, string? b, double tolerance)
    {
        if (a == b)
        {
            return true;
        }

        return Number(a) is { } x && Number(b) is { } y && (x.Equals(y) || Math.Abs(x - y) <= tolerance);
    }

    private static double? Gap(string? a, string? b) => Number(a) is { } x && Number(b) is { } y ? Math.Abs(x - y) : null;

    private static double? Number(string? text) =>
        text is not null && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) ? value : null;
}

/// <summary>One value that differs: its path, the two values (null when absent on that side) and, for numbers, how far apart.</summary>
public sealed record ValueDifference(string Path, string? Expected, string? Actual, double? Difference);
