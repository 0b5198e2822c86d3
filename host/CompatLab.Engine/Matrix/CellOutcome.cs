using CompatLab.Engine.Runs;

namespace CompatLab.Engine.Matrix;

/// <summary>How one matrix cell ended: its results, or the error that stopped it.</summary>
public sealed record CellOutcome(ResolvedExperiment Experiment, RunResult? Result, string? Error)
{
    public bool Succeeded => Result is not null;

    /// <summary>
    /// Reads a cell's outcome from its run folder (after another process ran it). When the cell left no state (it
    /// failed before its run folder existed, e.g. on bad data), the last "error:" line of its log says why.
    /// </summary>
    public static CellOutcome FromRunFolder(ResolvedExperiment experiment, string fallbackError, string? logPath = null)
    {
        var state = ExperimentRunner.ReadState(experiment.RunFolder);
        string results = Path.Combine(experiment.RunFolder, "results.json");
        if (state?.Status == RunState.Finished && File.Exists(results))
        {
            return new CellOutcome(experiment, ExperimentRunner.ReadResult(results), null);
        }

        string? logged = logPath is not null && File.Exists(logPath)
            ? File.ReadLines(logPath).LastOrDefault(l => l.StartsWith("error: ", StringComparison.Ordinal))?["error: ".Length..]
            : null;
        return new CellOutcome(experiment, null, state?.Error ?? (logged is null ? fallbackError : $"{logged} (log: {logPath})"));
    }
}
