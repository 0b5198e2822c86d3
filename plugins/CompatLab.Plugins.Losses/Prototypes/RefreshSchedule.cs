namespace CompatLab.Plugins.Losses.Prototypes;

/// <summary>
/// When the perturbation is recomputed: never before step R, then at R, 2R, 3R, ... counted in completed
/// optimiser steps. It follows the host's step number, so a resumed run refreshes at the same steps.
/// </summary>
public sealed class RefreshSchedule
{
    public RefreshSchedule(long interval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, 1);
        Interval = interval;
    }

    public long Interval { get; }

    public bool IsDue(long completedSteps) => completedSteps >= Interval && completedSteps % Interval == 0;
}
