namespace CompatLab.Abstractions.Tracking;

/// <summary>
/// A tracker that keeps records in the run folders while its backend is away, and can send them later
/// ('compatlab tracking sync'). Optional (contract 1.3): a tracker without a spool does not implement it.
/// </summary>
public interface ISyncableTracker : IExperimentTracker
{
    /// <summary>
    /// Sends every record spooled under <paramref name="runsDirectory"/> to the backend it was meant for, each once,
    /// saying what it did on <paramref name="messages"/>.
    /// </summary>
    /// <returns>How many records still wait (0 when everything is delivered).</returns>
    int SyncSpools(string runsDirectory, TextWriter messages);
}
