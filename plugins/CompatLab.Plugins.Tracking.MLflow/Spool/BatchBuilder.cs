using CompatLab.Abstractions.Tracking;
using CompatLab.Plugins.Tracking.MLflow.Rest;

namespace CompatLab.Plugins.Tracking.MLflow.Spool;

/// <summary>
/// Gathers whole spool records into one runs/log-batch request within MLflow's limits. Params travel in requests
/// of their own: a param the server already holds with another value fails the whole request, and that must not
/// take metrics or tags down with it. A key twice in one request is refused by the server, so it starts a new one.
/// </summary>
internal sealed class BatchBuilder
{
    private readonly List<SpoolRecord> records = new();
    private readonly List<MetricPoint> metrics = new();
    private readonly List<KeyValuePair<string, string>> parameters = new();
    private readonly List<KeyValuePair<string, string>> tags = new();
    private readonly HashSet<string> paramKeys = new(StringComparer.Ordinal);
    private readonly HashSet<string> tagKeys = new(StringComparer.Ordinal);
    private int bytes;

    public bool IsEmpty => records.Count == 0;

    public bool HoldsParams => parameters.Count > 0;

    public IReadOnlyList<SpoolRecord> Records => records;

    public LogBatch Batch => new(metrics.ToList(), parameters.ToList(), tags.ToList());

    public static bool Batchable(SpoolRecord record) => record.Type is SpoolRecord.Params or SpoolRecord.Metrics or SpoolRecord.Tags;

    /// <summary>Adds the record if it fits with what is already here; false means: send this batch first.</summary>
    public bool TryAdd(SpoolRecord record)
    {
        bool isParams = record.Type == SpoolRecord.Params;
        if (!IsEmpty && isParams != HoldsParams)
        {
            return false;
        }

        var points = record.Type == SpoolRecord.Metrics ? record.Points ?? new List<MetricPoint>() : new List<MetricPoint>();
        var pairs = record.Type is SpoolRecord.Params or SpoolRecord.Tags ? record.Values ?? new Dictionary<string, string>() : new Dictionary<string, string>();
        var keys = isParams ? paramKeys : tagKeys;
        int size = points.Sum(LogBatchLimits.Bytes) + pairs.Sum(LogBatchLimits.Bytes);
        int newParams = isParams ? pairs.Count : 0;
        int newTags = isParams ? 0 : pairs.Count;
        bool fits = metrics.Count + points.Count <= LogBatchLimits.MaxMetrics
            && parameters.Count + newParams <= LogBatchLimits.MaxParams
            && tags.Count + newTags <= LogBatchLimits.MaxTags
            && metrics.Count + parameters.Count + tags.Count + points.Count + pairs.Count <= LogBatchLimits.MaxItems
            && bytes + size <= LogBatchLimits.MaxItemBytes
            && !pairs.Keys.Any(keys.Contains);
        if (!fits && !IsEmpty)
        {
            return false;
        }

        records.Add(record);
        metrics.AddRange(points);
        (isParams ? parameters : tags).AddRange(pairs);
        keys.UnionWith(pairs.Keys);
        bytes += size;
        return true;
    }
}
