using System.Text.Json;

namespace CompatLab.Plugins.Tracking.MLflow.Spool;

/// <summary>
/// What the tracker remembers about a run in the host's run folder (run.json): the run key it belongs to, where it
/// is tracked and, once known, the MLflow experiment and run ids. A resumed run re-attaches through it.
/// </summary>
internal sealed class RunBookkeeping
{
    public const string FileName = "run.json";

    public string RunKey { get; set; } = string.Empty;

    /// <summary>The server address or the file store folder (never with credentials).</summary>
    public string Target { get; set; } = string.Empty;

    public string ExperimentName { get; set; } = string.Empty;

    public string RunName { get; set; } = string.Empty;

    public string? ExperimentId { get; set; }

    public string? RunId { get; set; }

    /// <summary>The run's artifact folder behind the server's artifact proxy (run.json files written before ArtifactUri).</summary>
    public string? ArtifactRoot { get; set; }

    /// <summary>The run's artifact URI as the server reported it: where its artifacts must go.</summary>
    public string? ArtifactUri { get; set; }

    public static RunBookkeeping? Load(string folder)
    {
        string path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<RunBookkeeping>(File.ReadAllText(path), SpoolFormat.Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public void Save(string folder) =>
        SpoolFormat.WriteAtomically(Path.Combine(folder, FileName), JsonSerializer.Serialize(this, SpoolFormat.Json));
}
