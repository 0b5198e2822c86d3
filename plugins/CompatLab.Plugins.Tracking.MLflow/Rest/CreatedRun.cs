namespace CompatLab.Plugins.Tracking.MLflow.Rest;

/// <summary>A run the server made: its id and its artifact URI as the server reported it (null when it gave none).</summary>
internal sealed record CreatedRun(string RunId, string? ArtifactUri);
