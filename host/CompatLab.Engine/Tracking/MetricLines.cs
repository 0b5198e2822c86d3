using System.Globalization;
using System.Text.Json;
using CompatLab.Abstractions.Tracking;

namespace CompatLab.Engine.Tracking;

/// <summary>
/// One metric point per line of JSON (<c>{"key":..,"value":..,"step":..,"timestamp":..}</c>), the format of a run's
/// metrics.jsonl. Non-finite values are written as strings ("NaN", "Infinity"), which JSON numbers cannot hold.
/// </summary>
public static class MetricLines
{
    public static string Format(MetricPoint point) =>
        string.Create(CultureInfo.InvariantCulture, $"{{\"key\":{JsonSerializer.Serialize(point.Key)},\"value\":{Number(point.Value)},\"step\":{point.Step},\"timestamp\":{point.TimestampMs}}}");

    /// <exception cref="FormatException">The line is not a metric point.</exception>
    public static MetricPoint Parse(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            var value = root.GetProperty("value");
            double number = value.ValueKind == JsonValueKind.String
                ? double.Parse(value.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture)
                : value.GetDouble();
            return new MetricPoint(root.GetProperty("key").GetString()!, number, root.GetProperty("step").GetInt64(), root.GetProperty("timestamp").GetInt64());
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or NullReferenceException)
        {
            throw new FormatException($"not a metric line ({e.Message}): {line}", e);
        }
    }

    private static string Number(double value) =>
        double.IsFinite(value) ? value.ToString("R", CultureInfo.InvariantCulture) : JsonSerializer.Serialize(value.ToString(CultureInfo.InvariantCulture));
}
