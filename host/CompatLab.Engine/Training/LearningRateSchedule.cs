using CompatLab.Engine.Configuration;

namespace CompatLab.Engine.Training;

/// <summary>The learning rate as a pure function of the step, so resuming needs no scheduler state.</summary>
public sealed class LearningRateSchedule
{
    private readonly ScheduleSpec spec;
    private readonly double peak;
    private readonly long totalSteps;
    private readonly long stepsPerEpoch;

    public LearningRateSchedule(ScheduleSpec spec, double peak, long totalSteps, long stepsPerEpoch)
    {
        this.spec = spec;
        this.peak = peak;
        this.totalSteps = Math.Max(1, totalSteps);
        this.stepsPerEpoch = Math.Max(1, stepsPerEpoch);
    }

    public static IReadOnlyList<string> Types => ScheduleSpec.Types;

    /// <summary>The rate used for the optimiser step that follows <paramref name="step"/> completed steps.</summary>
    public double At(long step)
    {
        if (spec.WarmupSteps > 0 && step < spec.WarmupSteps)
        {
            return peak * (step + 1) / spec.WarmupSteps;
        }

        return spec.Type switch
        {
            "cosine" => peak * 0.5 * (1 + Math.Cos(Math.PI * Math.Min(1.0, (double)(step - spec.WarmupSteps) / Math.Max(1, totalSteps - spec.WarmupSteps)))),
            "step" => peak * Math.Pow(spec.Gamma, spec.Milestones.Count(m => step / stepsPerEpoch >= m)),
            _ => peak,
        };
    }
}
