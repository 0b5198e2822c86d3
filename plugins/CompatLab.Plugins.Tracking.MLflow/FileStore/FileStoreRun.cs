using System.Text;
using CompatLab.Abstractions.Tracking;

namespace CompatLab.Plugins.Tracking.MLflow.FileStore;

/// <summary>
/// One run's folder in the file store. Params and tags are files holding the raw value (no trailing newline),
/// written whole; metrics are appended a line per point. A param keeps its first value, as in MLflow.
/// </summary>
internal sealed class FileStoreRun
{
    private readonly string folder;
    private readonly LoggedPoints logged = new();
    private readonly HashSet<string> loadedKeys = new(StringComparer.Ordinal);
    private RunMeta meta;

    public FileStoreRun(string folder, RunMeta meta)
    {
        this.folder = folder;
        this.meta = meta;
    }

    public string RunId => meta.RunId;

    public string ExperimentId => meta.ExperimentId;

    public string Folder => folder;

    /// <summary>Writes a file so readers (mlflow ui) and a crash only see the old content or the whole new one.</summary>
    public static void WriteAtomically(string scratchFolder, string path, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        string temporary = Path.Combine(scratchFolder, $".tmp-{Guid.NewGuid():N}");
        File.WriteAllText(temporary, content, new UTF8Encoding(false));
        File.Move(temporary, path, overwrite: true);
    }

    public void LogParams(IEnumerable<KeyValuePair<string, string>> parameters, Action<string> warn)
    {
        foreach (var (key, value) in parameters)
        {
            string path = Path.Combine(folder, "params", key);
            if (File.Exists(path))
            {
                string existing = File.ReadAllText(path);
                if (existing != value)
                {
                    warn($"param '{key}' of run {RunId} already holds \"{existing}\"; MLflow params never change, so \"{value}\" was not logged");
                }

                continue;
            }

            WriteAtomically(folder, path, value);
        }
    }

    /// <summary>Appends the points; those the run's metric files already hold (a resume replaying steps) are skipped.</summary>
    public void LogMetrics(IEnumerable<MetricPoint> points)
    {
        foreach (var series in points.GroupBy(p => p.Key, StringComparer.Ordinal))
        {
            string path = Path.Combine(folder, "metrics", series.Key);
            if (loadedKeys.Add(series.Key) && File.Exists(path))
            {
                foreach (var existing in MetricText.Read(series.Key, File.ReadLines(path)))
                {
                    logged.Remember(existing);
                }
            }

            var unseen = logged.Unseen(series);
            if (unseen.Count == 0)
            {
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
            byte[] lines = Encoding.UTF8.GetBytes(string.Concat(unseen.Select(MetricText.Line)));
            stream.Write(lines);
            stream.Flush();
        }
    }

    public void SetTags(IEnumerable<KeyValuePair<string, string>> tags)
    {
        foreach (var (key, value) in tags)
        {
            WriteAtomically(folder, Path.Combine(folder, "tags", key), value);
        }
    }

    /// <summary>Copies a file to the run's artifact root; a root this client cannot write (s3://, ...) is an IOException naming it.</summary>
    public void LogArtifact(string localPath, string artifactPath)
    {
        // A meta.yaml without an artifact URI (written by hand, or very old) keeps artifacts beside the run.
        string uri = meta.ArtifactUri.Length > 0 ? meta.ArtifactUri : new Uri(Path.Combine(folder, "artifacts")).AbsoluteUri;
        var destination = Artifacts.ArtifactDestination.Of(uri, meta.ExperimentId, meta.RunId);
        if (destination.Kind != Artifacts.ArtifactDestinationKind.LocalFolder)
        {
            // A proxied root in a file store belongs to a server; only that server can write there.
            throw new IOException($"artifact '{artifactPath}' not stored: {destination.Problem ?? $"the run's artifact root {meta.ArtifactUri} is served by a tracking server; track to that server (trackingUri) instead of its store"}");
        }

        destination.CopyLocal(localPath, artifactPath);
    }

    /// <param name="endTime">Null while the run runs (again, after a resume).</param>
    public void SetStatus(RunStatus status, long? endTime)
    {
        meta = meta with { Status = RunStatusCode.Number(status), EndTime = endTime };
        WriteAtomically(folder, Path.Combine(folder, "meta.yaml"), meta.ToYaml());
    }
}
