using CompatLab.Abstractions.Tracking;

namespace CompatLab.Plugins.Tracking.MLflow.Rest;

/// <summary>The content of one runs/log-batch request; <see cref="LogBatchLimits"/> keeps it within the server's limits.</summary>
internal sealed record LogBatch(
    IReadOnlyList<MetricPoint> Metrics,
    IReadOnlyList<KeyValuePair<string, string>> Params,
    IReadOnlyList<KeyValuePair<string, string>> Tags)
{
    public int Items => Metrics.Count + Params.Count + Tags.Count;
}
