using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace CompatLab.Plugins.Tracking.MLflow.FileStore;

/// <summary>
/// The flat YAML of MLflow's meta.yaml files: one "key: scalar" per line, keys sorted as MLflow's writer sorts
/// them. Strings that YAML 1.1 would read as something else (numbers, booleans, null) are single-quoted.
/// </summary>
internal static partial class Yaml
{
    private static readonly HashSet<string> Keywords = new(StringComparer.OrdinalIgnoreCase) { "true", "false", "yes", "no", "on", "off", "null", "y", "n" };

    public static string Document(IEnumerable<KeyValuePair<string, string>> scalars)
    {
        var text = new StringBuilder();
        foreach (var (key, scalar) in scalars.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.Append(key).Append(": ").Append(scalar).Append('\n');
        }

        return text.ToString();
    }

    public static string Scalar(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Scalar(long? value) => value is { } v ? Scalar(v) : "null";

    public static string Scalar(string value)
    {
        if (Plain().IsMatch(value) && !Keywords.Contains(value) && !value.EndsWith(':'))
        {
            return value;
        }

        if (value.Any(c => char.IsControl(c)))
        {
            return JsonSerializer.Serialize(value);
        }

        return "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
    }

    /// <summary>Reads a flat meta.yaml; null stands for YAML's null.</summary>
    public static Dictionary<string, string?> Read(string text)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (string line in text.Split('\n'))
        {
            int colon = line.IndexOf(": ", StringComparison.Ordinal);
            if (line.Length == 0 || char.IsWhiteSpace(line[0]) || line.StartsWith('#'))
            {
                continue;
            }

            if (colon < 0)
            {
                if (line.TrimEnd().EndsWith(':'))
                {
                    values[line.TrimEnd()[..^1]] = null;
                }

                continue;
            }

            values[line[..colon]] = Unquote(line[(colon + 2)..].Trim());
        }

        return values;
    }

    private static string? Unquote(string scalar)
    {
        if (scalar.Length >= 2 && scalar[0] == '\'' && scalar[^1] == '\'')
        {
            return scalar[1..^1].Replace("''", "'", StringComparison.Ordinal);
        }

        if (scalar.Length >= 2 && scalar[0] == '"' && scalar[^1] == '"')
        {
            try
            {
                return JsonSerializer.Deserialize<string>(scalar);
            }
            catch (JsonException)
            {
                return scalar[1..^1];
            }
        }

        return scalar is "null" or "~" or "" ? null : scalar;
    }

    // Starts with a letter, '_' or '/', so it cannot be read as a number, date or YAML indicator.
    [GeneratedRegex("^[A-Za-z_/][A-Za-z0-9_./:%+@=,-]*$")]
    private static partial Regex Plain();
}
