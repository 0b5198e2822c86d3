using System.Text;
using CompatLab.Abstractions.Tracking;

namespace CompatLab.Engine.Tracking;

/// <summary>
/// Passes everything on to a run's tracker and also appends every metric point to a file of metric lines (flushed
/// batch by batch), so a network cached for reuse keeps the metrics its training logged: a later run that loads the
/// network instead of training it replays them (<see cref="Replay"/>) and reports the same training curves and
/// telemetry as the run that trained it.
/// </summary>
public sealed class RecordingTracker : IExperimentTracker, IMetricJournal
{
    private readonly IExperimentTracker inner;
    private readonly string path;
    private StreamWriter file;

    public RecordingTracker(IExperimentTracker inner, string path)
    {
        this.inner = inner;
        this.path = path;
        MetricJournal.RepairTail(path);
        file = Open();
    }

    /// <summary>Cuts the recording and the run's own journals back to a resumed stage's checkpoint.</summary>
    public int CutBack(string stage, long step)
    {
        file.Dispose();
        int dropped = MetricJournal.CutBack(path, stage, step);
        file = Open();
        return dropped + (inner is IMetricJournal journal ? journal.CutBack(stage, step) : 0);
    }

    /// <summary>Logs the recorded points to <paramref name="tracker"/>, with their original steps and times.</summary>
    /// <returns>How many points were replayed; 0 when there is no recording (a network cached before recordings existed).</returns>
    public static int Replay(string path, IExperimentTracker tracker, Action<string>? warn = null)
    {
        var points = MetricJournal.Read(path, warn ?? (_ => { }));

        // A rerun replays into the same run journal: what an earlier attempt replayed (or trained) goes first.
        if (points.Count > 0 && tracker is IMetricJournal journal)
        {
            journal.CutBack(points[0].Key.Split('.')[0], 0);
        }

        if (points.Count > 0)
        {
            tracker.LogMetrics(points);
        }

        return points.Count;
    }

    public void StartRun(TrackedRun run) => inner.StartRun(run);

    public void LogParams(IReadOnlyDictionary<string, string> parameters) => inner.LogParams(parameters);

    public void LogMetrics(IReadOnlyList<MetricPoint> points)
    {
        inner.LogMetrics(points);
        foreach (var point in points)
        {
            file.WriteLine(MetricLines.Format(point));
        }

        file.Flush();
    }

    public void SetTags(IReadOnlyDictionary<string, string> tags) => inner.SetTags(tags);

    public void LogArtifact(string localPath, string artifactPath) => inner.LogArtifact(localPath, artifactPath);

    public void EndRun(RunStatus status) => inner.EndRun(status);

    /// <summary>Closes the recording only; the run's tracker belongs to the run.</summary>
    public void Dispose() => file.Dispose();

    private StreamWriter Open() => new(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read), new UTF8Encoding(false));
}
