using System.ComponentModel;
using System.Globalization;
using CompatLab.Abstractions;
using CompatLab.Abstractions.Plugins;
using CompatLab.Abstractions.Tracking;

namespace MyTracker;

public sealed class MyTrackerOptions : IValidatableOptions
{
    [Description("File in the run folder that receives one line per record.")]
    public string FileName { get; set; } = "my-tracker.log";

    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(FileName) || FileName.IndexOfAny(['/', '\\']) >= 0)
        {
            yield return $"Option 'fileName' must be a plain file name; got \"{FileName}\".";
        }
    }
}

/// <summary>
/// A tracker records a run: params once, metrics per step, tags, artifacts and the final status. This one appends
/// text lines to a file in the host's run folder; a real one sends them to a service (and spools while it is away).
/// </summary>
[CompatLabPlugin(PluginKind.Tracker, "my-tracker", Description = "Appends every record to a text file in the run folder.", Options = typeof(MyTrackerOptions))]
public sealed class MyTracker : IExperimentTracker
{
    private readonly string fileName;
    private StreamWriter? writer;

    public MyTracker(MyTrackerOptions options)
    {
        if (options.Validate().FirstOrDefault() is { } problem)
        {
            throw new CompatLabUserException($"tracker 'my-tracker': {problem}");
        }

        fileName = options.FileName;
    }

    // Appending makes a resumed run (same RunKey) continue the same file.
    public void StartRun(TrackedRun run)
    {
        writer?.Dispose();
        writer = new StreamWriter(Path.Combine(run.RunDirectory, fileName), append: true) { AutoFlush = true };
        Write($"run {run.RunKey} ({run.ExperimentName}/{run.RunName})");
    }

    public void LogParams(IReadOnlyDictionary<string, string> parameters) =>
        Write(string.Join(", ", parameters.Select(p => $"param {p.Key}={p.Value}")));

    public void LogMetrics(IReadOnlyList<MetricPoint> points)
    {
        foreach (var point in points)
        {
            Write($"metric {point.Key}@{point.Step}={point.Value.ToString(CultureInfo.InvariantCulture)}");
        }
    }

    public void SetTags(IReadOnlyDictionary<string, string> tags) =>
        Write(string.Join(", ", tags.Select(t => $"tag {t.Key}={t.Value}")));

    public void LogArtifact(string localPath, string artifactPath) => Write($"artifact {artifactPath} <- {localPath}");

    public void EndRun(RunStatus status) => Write($"end {status}");

    public void Dispose() => writer?.Dispose();

    private void Write(string line) =>
        (writer ?? throw new InvalidOperationException("StartRun was not called")).WriteLine(line);
}
