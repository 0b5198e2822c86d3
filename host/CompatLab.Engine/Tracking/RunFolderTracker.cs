using System.Globalization;
using System.Text;
using System.Text.Json;
using CompatLab.Abstractions.Tracking;

namespace CompatLab.Engine.Tracking;

/// <summary>
/// The tracker every run has: params.json, tags.json, metrics as JSON lines (appended and flushed batch by batch,
/// so a crash loses nothing already logged) and the run status, all inside the run folder.
/// </summary>
public sealed class RunFolderTracker : IExperimentTracker
{
    private readonly Dictionary<string, string> tags = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> parameters = new(StringComparer.Ordinal);
    private string folder = string.Empty;
    private StreamWriter? metrics;

    public void StartRun(TrackedRun run)
    {
        folder = run.RunDirectory;
        Directory.CreateDirectory(folder);
        metrics = new StreamWriter(new FileStream(Path.Combine(folder, "metrics.jsonl"), FileMode.Append, FileAccess.Write, FileShare.Read), new UTF8Encoding(false));
        SetTags(run.Tags);
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
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(localPath, target, overwrite: true);
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
}
