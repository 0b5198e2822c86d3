using System.Globalization;
using System.Text;
using CompatLab.Abstractions.Tracking;

namespace CompatLab.Plugins.Tracking.MLflow.Rest;

/// <summary>
/// MLflow's per-request limits for runs/log-batch, and the size of each item in the request body, so batches can
/// be cut before the server refuses them.
/// </summary>
internal static class LogBatchLimits
{
    public const int MaxMetrics = 1000;
    public const int MaxParams = 100;
    public const int MaxTags = 100;
    public const int MaxItems = 1000;
    public const int MaxRequestBytes = 1_000_000;

    /// <summary>Room left for items once the request's envelope (run id, field names) is accounted for.</summary>
    public const int MaxItemBytes = MaxRequestBytes - 4_000;

    /// <summary>An upper bound of the item's bytes in the JSON body (escaping can at most sextuple a character).</summary>
    public static int Bytes(MetricPoint point) =>
        64 + JsonBytes(point.Key) + point.Value.ToString("R", CultureInfo.InvariantCulture).Length;

    public static int Bytes(KeyValuePair<string, string> pair) => 32 + JsonBytes(pair.Key) + JsonBytes(pair.Value);

    private static int JsonBytes(string text)
    {
        int bytes = Encoding.UTF8.GetByteCount(text);
        foreach (char c in text)
        {
            if (c < 0x20 || c is '"' or '\\' or '<' or '>' or '&' or '\'' or '+' or '`')
            {
                bytes += 5;
            }
        }

        return bytes;
    }
}
