using CompatLab.Abstractions.Protocols;
using CompatLab.Engine.Configuration;

namespace CompatLab.Engine.Runs;

/// <summary>
/// A protocol as the engine runs it. The host makes one instance per run: <see cref="Check"/> when the experiment
/// is resolved, then <see cref="Prepare"/> before the run folder exists (anything wrong with the user's input
/// should fail here, leaving nothing behind), then <see cref="Run"/>, then Dispose.
/// </summary>
public interface IProtocol : IExperimentProtocol, IDisposable
{
    /// <summary>Problems with the experiment for this protocol, each as (configuration key with ':' separators, message).</summary>
    IEnumerable<(string Key, string Problem)> Check(ExperimentSpec spec);

    /// <summary>Creates the run's plugins and data splits; the session's log is not available yet.</summary>
    void Prepare(RunSession session);

    /// <summary>Trains and evaluates every stage (each stage checkpoints, so a repeated run resumes) and returns the result row.</summary>
    RunResult Run(RunSession session);
}
