using CompatLab.Abstractions.Tracking;

namespace CompatLab.Plugins.Tracking.MLflow;

/// <summary>One started run on one backend (file store or server); keys and values are already cleaned.</summary>
internal interface IRunSession : IDisposable
{
    /// <summary>The MLflow run id, or null while a server has not created the run yet.</summary>
    string? RunId { get; }

    void LogParams(IReadOnlyList<KeyValuePair<string, string>> parameters);

    void LogMetrics(IReadOnlyList<MetricPoint> points);

    void SetTags(IReadOnlyList<KeyValuePair<string, string>> tags);

    void LogArtifact(string localPath, string artifactPath);

    void EndRun(RunStatus status);
}
