namespace CompatLab.Abstractions.Tracking;

/// <summary>
/// Records one run: params once, metrics per step, tags, artifacts and the final status. The host calls it from
/// one thread. A tracker must not lose records when its backend is away (spool and replay instead).
/// </summary>
public interface IExperimentTracker : IDisposable
{
    /// <summary>Starts the run, or re-attaches to it when <see cref="TrackedRun.RunKey"/> was seen before (resume).</summary>
    void StartRun(TrackedRun run);

    void LogParams(IReadOnlyDictionary<string, string> parameters);

    void LogMetrics(IReadOnlyList<MetricPoint> points);

    void SetTags(IReadOnlyDictionary<string, string> tags);

    /// <summary>Stores a copy of a local file under <paramref name="artifactPath"/> (a relative path with '/').</summary>
    void LogArtifact(string localPath, string artifactPath);

    void EndRun(RunStatus status);
}

/// <summary>
/// The run being tracked. <see cref="RunKey"/> is the run's content hash: stable across resumes of the same run.
/// <see cref="RunDirectory"/> is the host's run folder, where a tracker may keep its own bookkeeping.
/// </summary>
public sealed record TrackedRun(string ExperimentName, string RunName, string RunKey, string RunDirectory, IReadOnlyDictionary<string, string> Tags)
{
    /// <summary>The data the run reads (contract 1.2); a tracker records them as the run's inputs where it can.</summary>
    public IReadOnlyList<DatasetInput> Inputs { get; init; } = [];
}

/// <summary>
/// One data set a run reads. <see cref="Digest"/> identifies its content (equal digests: equal data);
/// <see cref="Source"/> says where it came from (a JSON object naming the dataset plugin and its options);
/// <see cref="Context"/> is its role in the run ("train", "test").
/// </summary>
public sealed record DatasetInput(string Name, string Digest, string SourceType, string Source, string Context);

public sealed record MetricPoint(string Key, double Value, long Step, long TimestampMs);

public enum RunStatus
{
    Running,
    Finished,
    Failed,
    Killed,
}
