using CompatLab.Abstractions.Tracking;

namespace CompatLab.Plugins.Tracking.MLflow;

/// <summary>
/// The metric points a run already holds, by key and step. A resumed run trains again from its last checkpoint and
/// logs those steps a second time; MLflow cannot delete points, and would show both, so the repeats are dropped and
/// the first value of a step stays (training values repeat exactly; timings of a replayed step are not news).
/// </summary>
internal sealed class LoggedPoints
{
    private readonly HashSet<(string Key, long Step)> seen = new();

    public void Remember(MetricPoint point) => seen.Add(Id(point));

    /// <summary>The points not logged before (each remembered from now on), in their order.</summary>
    public List<MetricPoint> Unseen(IEnumerable<MetricPoint> points) => points.Where(p => seen.Add(Id(p))).ToList();

    private static (string, long) Id(MetricPoint point) => (point.Key, point.Step);
}
