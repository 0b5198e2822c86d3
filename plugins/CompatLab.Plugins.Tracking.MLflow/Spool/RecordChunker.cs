using CompatLab.Abstractions.Tracking;
using CompatLab.Plugins.Tracking.MLflow.Rest;

namespace CompatLab.Plugins.Tracking.MLflow.Spool;

/// <summary>
/// Cuts a call's values into records that each fit one log-batch request, so a record is always sent whole and
/// marking it sent is exact.
/// </summary>
internal static class RecordChunker
{
    public static IEnumerable<List<MetricPoint>> Points(IReadOnlyList<MetricPoint> points)
    {
        var chunk = new List<MetricPoint>();
        int bytes = 0;
        foreach (var point in points)
        {
            int size = LogBatchLimits.Bytes(point);
            if (chunk.Count > 0 && (chunk.Count == LogBatchLimits.MaxMetrics || bytes + size > LogBatchLimits.MaxItemBytes))
            {
                yield return chunk;
                chunk = new List<MetricPoint>();
                bytes = 0;
            }

            chunk.Add(point);
            bytes += size;
        }

        if (chunk.Count > 0)
        {
            yield return chunk;
        }
    }

    /// <param name="maxCount">The per-request limit of that kind: 100 params or 100 tags.</param>
    public static IEnumerable<Dictionary<string, string>> Pairs(IEnumerable<KeyValuePair<string, string>> pairs, int maxCount)
    {
        var chunk = new Dictionary<string, string>(StringComparer.Ordinal);
        int bytes = 0;
        foreach (var pair in pairs)
        {
            int size = LogBatchLimits.Bytes(pair);
            if (chunk.Count > 0 && (chunk.Count == maxCount || bytes + size > LogBatchLimits.MaxItemBytes))
            {
                yield return chunk;
                chunk = new Dictionary<string, string>(StringComparer.Ordinal);
                bytes = 0;
            }

            chunk[pair.Key] = pair.Value;
            bytes += size;
        }

        if (chunk.Count > 0)
        {
            yield return chunk;
        }
    }
}
