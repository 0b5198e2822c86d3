using System.Globalization;
using System.Text;
using System.Text.Json;
using CompatLab.Abstractions.Tracking;

namespace CompatLab.Engine.Tracking;

/// <summary>
/// The tracker every run has: params.json, tags.json, metrics as JSON lines (appended and flushed batch by batch,
/// so a crash loses nothing already logged) and the run status, all inside the run folder.
/// </summary>
public sealed class RunFolderTracker : IExperimentTracker, IMetricJournal
{
    private const string MetricsFile = "metrics.jsonl";
    private readonly Action<string> warn;
    private readonly Dictionary<string, string> tags = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> parameters = new(StringComparer.Ordinal);
    private string folder = string.Empty;
    private StreamWriter? metrics;

    public RunFolderTracker()
        : this(_ => { })
    {
    }

    /// <param name="warn">Told when a torn last line (from a crash) is removed from the journal.</param>
    public RunFolderTracker(Action<string> warn)
    {
        this.warn = warn;
    }

    private string MetricsPath => Path.Combine(folder, MetricsFile);

    public void StartRun(TrackedRun run)
    {
        folder = run.RunDirectory;
        Directory.CreateDirectory(folder);
        if (MetricJournal.RepairTail(MetricsPath))
        {
            warn($"{MetricsPath}: removed a torn last line left by an interrupted attempt");
        }

        metrics = OpenMetrics();
        SetTags(run.Tags);
    }

    public int CutBack(string stage, long step)
    {
        if (metrics is null)
        {
            return 0;
        }

        metrics.Dispose();
        int dropped = MetricJournal.CutBack(MetricsPath, stage, step);
        metrics = OpenMetrics();
        return dropped;
    }

    public void LogParams(IReadOnlyDictionary<string, string> values)
    {
        foreach (var (key, value) in values)
        {
            parameters[key] = value;
        }

        AtomicFile.WriteAllText(Path.Combine(folder, "params.json"), JsonSerializer.Serialize(parameters, JsonFormats.Indented));
    }

    public void LogMetrics(IReadOnlyList<MetricPoint> points)
    {
        if (metrics is null)
        {
            return;
        }

        foreach (var point in points)
        {
            metrics.WriteLine(MetricLines.Format(point));
        }

        metrics.Flush();
    }

    public void SetTags(IReadOnlyDictionary<string, string> values)
    {
        foreach (var (key, value) in values)
        {
            tags[key] = value;
        }

        AtomicFile.WriteAllText(Path.Combine(folder, "tags.json"), JsonSerializer.Serialize(tags, JsonFormats.Indented));
    }

    public void LogArtifact(string localPath, string artifactPath)
    {
        string target = Path.GetFullPath(Path.Combine(folder, artifactPath));
        if (!string.Equals(Path.GetFullPath(localPath), target, StringComparison.Ordinal))
        {
            AtomicFile.Copy(localPath, target);
        }
    }

    public void EndRun(RunStatus status)
    {
        metrics?.Flush();
    }

    public void Dispose()
    {
        metrics?.Dispose();
        metrics = null;
    }

    private StreamWriter OpenMetrics() =>
        new(new FileStream(MetricsPath, FileMode.Append, FileAccess.Write, FileShare.Read), new UTF8Encoding(false));
}
