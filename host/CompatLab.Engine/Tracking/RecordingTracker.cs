using System.Text;
using CompatLab.Abstractions.Tracking;

namespace CompatLab.Engine.Tracking;

/// <summary>
/// Passes everything on to a run's tracker and also appends every metric point to a file of metric lines (flushed
/// batch by batch), so a network cached for reuse keeps the metrics its training logged: a later run that loads the
/// network instead of training it replays them (<see cref="Replay"/>) and reports the same training curves and
/// telemetry as the run that trained it.
/// </summary>
public sealed class RecordingTracker : IExperimentTracker
{
    private readonly IExperimentTracker inner;
    private readonly StreamWriter file;

    public RecordingTracker(IExperimentTracker inner, string path)
    {
        this.inner = inner;
        file = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read), new UTF8Encoding(false));
    }

    /// <summary>Logs the recorded points to <paramref name="tracker"/>, with their original steps and times.</summary>
    /// <returns>How many points were replayed; 0 when there is no recording (a network cached before recordings existed).</returns>
    public static int Replay(string path, IExperimentTracker tracker)
    {
        if (!File.Exists(path))
        {
            return 0;
        }

        var points = File.ReadLines(path).Where(l => l.Length > 0).Select(MetricLines.Parse).ToList();
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
}
