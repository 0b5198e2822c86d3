using System.Globalization;
using CompatLab.Abstractions.Tracking;

namespace CompatLab.Plugins.Tracking.MLflow.FileStore;

/// <summary>A metric file's line, "&lt;timestamp_ms&gt; &lt;value&gt; &lt;step&gt;", with the value written the way Python prints a float.</summary>
internal static class MetricText
{
    public static string Line(MetricPoint point) =>
        string.Create(CultureInfo.InvariantCulture, $"{point.TimestampMs} {Value(point.Value)} {point.Step}\n");

    /// <summary>The points of a metric file's complete lines; a torn or foreign line is skipped.</summary>
    public static IEnumerable<MetricPoint> Read(string key, IEnumerable<string> lines)
    {
        foreach (string line in lines)
        {
            string[] parts = line.Split(' ');
            if (parts.Length == 3 && long.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out long time)
                && ParseValue(parts[1]) is { } value && long.TryParse(parts[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out long step))
            {
                yield return new MetricPoint(key, value, step, time);
            }
        }
    }

    public static string Value(double value)
    {
        if (double.IsNaN(value))
        {
            return "nan";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "inf" : "-inf";
        }

        if (value == Math.Floor(value) && Math.Abs(value) < 1e16)
        {
            return (value == 0 && double.IsNegative(value) ? "-0" : value.ToString("F0", CultureInfo.InvariantCulture)) + ".0";
        }

        return value.ToString("R", CultureInfo.InvariantCulture).Replace("E", "e", StringComparison.Ordinal);
    }

    private static double? ParseValue(string text) => text switch
    {
        "nan" => double.NaN,
        "inf" => double.PositiveInfinity,
        "-inf" => double.NegativeInfinity,
        _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : null,
    };
}
