using CompatLab.Abstractions.Tracking;

namespace CompatLab.Engine.Tracking;

/// <summary>
/// Sends every record to the run folder first, then to each plugin tracker. A plugin tracker that throws is
/// reported once and skipped from then on: the run itself, and the run folder's record, go on.
/// </summary>
public sealed class TrackerFanOut : IExperimentTracker, IMetricJournal
{
    private readonly List<IExperimentTracker> trackers;
    private readonly HashSet<IExperimentTracker> broken = new();
    private readonly Action<string> warn;

    public TrackerFanOut(IEnumerable<IExperimentTracker> trackers, Action<string> warn)
    {
        this.trackers = trackers.ToList();
        this.warn = warn;
    }

    public void StartRun(TrackedRun run) => Each(t => t.StartRun(run));

    public void LogParams(IReadOnlyDictionary<string, string> parameters) => Each(t => t.LogParams(parameters));

    public void LogMetrics(IReadOnlyList<MetricPoint> points) => Each(t => t.LogMetrics(points));

    public void SetTags(IReadOnlyDictionary<string, string> tags) => Each(t => t.SetTags(tags));

    public void LogArtifact(string localPath, string artifactPath) => Each(t => t.LogArtifact(localPath, artifactPath));

    public void EndRun(RunStatus status) => Each(t => t.EndRun(status));

    /// <summary>Cuts back every tracker that keeps a journal; the others never see the dropped points again anyway.</summary>
    public int CutBack(string stage, long step) =>
        trackers.Where(t => !broken.Contains(t)).OfType<IMetricJournal>().Sum(j => j.CutBack(stage, step));

    public void Dispose()
    {
        foreach (var tracker in trackers)
        {
            tracker.Dispose();
        }
    }

    private void Each(Action<IExperimentTracker> action)
    {
        for (int i = 0; i < trackers.Count; i++)
        {
            var tracker = trackers[i];
            if (broken.Contains(tracker))
            {
                continue;
            }

            if (i == 0)
            {
                action(tracker);
                continue;
            }

            try
            {
                action(tracker);
            }
            catch (Exception e)
            {
                broken.Add(tracker);
                warn($"tracker {tracker.GetType().Name} failed and is skipped for the rest of this run: {e.Message}");
            }
        }
    }
}
