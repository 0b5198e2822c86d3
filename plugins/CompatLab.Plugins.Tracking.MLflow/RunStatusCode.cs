using CompatLab.Abstractions.Tracking;

namespace CompatLab.Plugins.Tracking.MLflow;

/// <summary>MLflow's run states: the names its REST API uses and the numbers its file store writes.</summary>
internal static class RunStatusCode
{
    public const int Running = 1;

    public static string Name(RunStatus status) => status switch
    {
        RunStatus.Running => "RUNNING",
        RunStatus.Finished => "FINISHED",
        RunStatus.Failed => "FAILED",
        RunStatus.Killed => "KILLED",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static int Number(RunStatus status) => status switch
    {
        RunStatus.Running => Running,
        RunStatus.Finished => 3,
        RunStatus.Failed => 4,
        RunStatus.Killed => 5,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };
}
