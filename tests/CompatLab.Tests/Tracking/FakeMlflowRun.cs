namespace CompatLab.Tests.Tracking;

/// <summary>What the fake server holds for one run.</summary>
internal sealed class FakeMlflowRun
{
    public FakeMlflowRun(string id, string experimentId, string name, long startTime)
    {
        Id = id;
        ExperimentId = experimentId;
        Name = name;
        StartTime = startTime;
    }

    public string Id { get; }

    public string ExperimentId { get; }

    public string Name { get; }

    public long StartTime { get; }

    public string Status { get; set; } = "RUNNING";

    public long? EndTime { get; set; }

    public Dictionary<string, string> Params { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> Tags { get; } = new(StringComparer.Ordinal);

    public List<(string Key, double Value, long Step, long Timestamp)> Metrics { get; } = new();

    public Dictionary<string, byte[]> Artifacts { get; } = new(StringComparer.Ordinal);

    /// <summary>Data set inputs: name, digest, source type, source and the mlflow.data.context tag.</summary>
    public List<(string Name, string Digest, string SourceType, string Source, string Context)> Inputs { get; } = new();
}
