using CompatLab.Abstractions.Tracking;

namespace CompatLab.Plugins.Tracking.MLflow.Spool;

/// <summary>
/// One line of a run's spool: a call of the tracker, small enough to go to the server in one request. Records are
/// written before they are sent and marked once sent, so none is lost and none is sent twice.
/// </summary>
internal sealed class SpoolRecord
{
    public const string Start = "start";
    public const string Params = "params";
    public const string Metrics = "metrics";
    public const string Tags = "tags";
    public const string Artifact = "artifact";
    public const string Status = "status";
    public const string Inputs = "inputs";

    public long Seq { get; set; }

    public string Type { get; set; } = string.Empty;

    /// <summary>Start: the run's start time; status: its end time (none when it runs again); ms since 1970.</summary>
    public long? Time { get; set; }

    public string? Experiment { get; set; }

    public string? RunName { get; set; }

    /// <summary>Params, tags, or the run's first tags for a start record.</summary>
    public Dictionary<string, string>? Values { get; set; }

    public List<MetricPoint>? Points { get; set; }

    /// <summary>An inputs record: the run's data sets.</summary>
    public List<DatasetInput>? Datasets { get; set; }

    public string? LocalPath { get; set; }

    public string? ArtifactPath { get; set; }

    /// <summary>RUNNING, FINISHED, FAILED or KILLED.</summary>
    public string? RunStatus { get; set; }

    public int ItemCount => (Values?.Count ?? 0) + (Points?.Count ?? 0);
}
