using System.Text;
using CompatLab.Abstractions.Tracking;

namespace CompatLab.Plugins.Tracking.MLflow;

/// <summary>
/// What MLflow accepts, applied before a record is stored anywhere: keys of letters, digits, '_', '-', '.', ' '
/// and '/' (a key is a file path in the file store, so no '.' or '..' segments), at most 250 characters; param
/// values up to 6000 characters and tag values up to 5000 (the smallest limits of the MLflow versions we meet).
/// </summary>
internal static class KeyRules
{
    public const int MaxKeyLength = 250;
    public const int MaxParamValueLength = 6000;
    public const int MaxTagValueLength = 5000;

    public static string Key(string key)
    {
        var text = new StringBuilder(key.Length);
        foreach (char c in key)
        {
            text.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or ' ' or '/' ? c : '_');
        }

        var segments = text.ToString().Split('/', StringSplitOptions.RemoveEmptyEntries).Select(s => s is "." or ".." ? "_" : s);
        string clean = string.Join('/', segments);
        clean = clean.Length == 0 ? "_" : clean;
        return clean.Length > MaxKeyLength ? clean[..MaxKeyLength] : clean;
    }

    public static List<KeyValuePair<string, string>> Params(IReadOnlyDictionary<string, string> values) => Pairs(values, MaxParamValueLength);

    public static List<KeyValuePair<string, string>> Tags(IReadOnlyDictionary<string, string> values) => Pairs(values, MaxTagValueLength);

    public static string TagValue(string value) => value.Length > MaxTagValueLength ? value[..MaxTagValueLength] : value;

    public static List<MetricPoint> Metrics(IReadOnlyList<MetricPoint> points) =>
        points.Select(p => p.Key == Key(p.Key) ? p : p with { Key = Key(p.Key) }).ToList();

    /// <summary>A relative artifact path with '/' separators, without '.', '..' or empty segments.</summary>
    public static string ArtifactPath(string path)
    {
        var segments = path.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries).Where(s => s is not "." and not "..").ToList();
        return segments.Count == 0 ? "artifact" : string.Join('/', segments);
    }

    private static List<KeyValuePair<string, string>> Pairs(IReadOnlyDictionary<string, string> values, int maxValue)
    {
        // Two keys that clean to the same one: the later wins, as a second call would.
        var cleaned = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in values)
        {
            cleaned[Key(key)] = value.Length > maxValue ? value[..maxValue] : value;
        }

        return cleaned.ToList();
    }
}
