using System.Text.Json;
using CompatLab.Abstractions.Tracking;
using CompatLab.Engine.Tracking;

namespace CompatLab.Engine.Runs;

/// <summary>A run folder's result files (results.json, results.md, state.json), written atomically and read back.</summary>
public static class RunOutputs
{
    public static void WriteResult(string folder, RunResult result, IExperimentTracker tracker)
    {
        AtomicFile.WriteAllText(Path.Combine(folder, "results.json"), JsonSerializer.Serialize(result, JsonFormats.Indented));
        AtomicFile.WriteAllText(
            Path.Combine(folder, "results.md"),
            ResultsTable.Markdown(new[] { result })
                + (result.Sequence is { } chain ? "\n" + SequenceTable.Markdown(chain) : string.Empty)
                + (result.Subnetworks is { } subnetworks ? "\n" + SubnetworkTable.Markdown(subnetworks) : string.Empty)
                + (result.OpenSet is { } openSet ? "\n" + openSet.Markdown() : string.Empty));
        var charts = result.Subnetworks?.Select(r => SubnetworkScores.ChartFile(r.Criterion, r.Scope)).Distinct() ?? [];
        foreach (string artifact in new[] { "config.json", "results.json", "results.md" }.Concat(charts))
        {
            tracker.LogArtifact(Path.Combine(folder, artifact), artifact);
        }
    }

    public static RunResult ReadResult(string path) =>
        JsonSerializer.Deserialize<RunResult>(File.ReadAllText(path), JsonFormats.Indented)
            ?? throw new InvalidDataException($"{path}: no results");

    public static RunState? ReadState(string folder)
    {
        string path = Path.Combine(folder, "state.json");
        return File.Exists(path) ? JsonSerializer.Deserialize<RunState>(File.ReadAllText(path), JsonFormats.Indented) : null;
    }

    public static void WriteState(string folder, ResolvedExperiment experiment, string status, string? error = null) =>
        AtomicFile.WriteAllText(
            Path.Combine(folder, "state.json"),
            JsonSerializer.Serialize(new RunState(status, experiment.ContentHash, experiment.OldModelKey, DateTimeOffset.UtcNow, error), JsonFormats.Indented));
}
