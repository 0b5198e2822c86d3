using CompatLab.Engine.Configuration;
using CompatLab.Engine.Training;
using Xunit;

namespace CompatLab.Tests.Training;

public class LearningRateScheduleTests
{
    [Fact]
    public void CosineFallsFromPeakToZeroAfterWarmup()
    {
        var schedule = new LearningRateSchedule(new ScheduleSpec { Type = "cosine", WarmupSteps = 10 }, 0.1, totalSteps: 110, stepsPerEpoch: 10);

        Assert.Equal(0.01, schedule.At(0), 12);
        Assert.Equal(0.1, schedule.At(9), 12);
        Assert.Equal(0.1, schedule.At(10), 12);
        Assert.Equal(0.05, schedule.At(60), 12);
        Assert.Equal(0.0, schedule.At(110), 12);
    }

    [Fact]
    public void StepMultipliesByGammaAtEachMilestoneEpoch()
    {
        var schedule = new LearningRateSchedule(new ScheduleSpec { Type = "step", Milestones = new() { 2, 4 }, Gamma = 0.5 }, 0.2, totalSteps: 60, stepsPerEpoch: 10);

        Assert.Equal(0.2, schedule.At(19), 12);
        Assert.Equal(0.1, schedule.At(20), 12);
        Assert.Equal(0.05, schedule.At(45), 12);
    }

    [Fact]
    public void ConstantStaysAtPeak() =>
        Assert.Equal(0.3, new LearningRateSchedule(new ScheduleSpec { Type = "constant" }, 0.3, 100, 10).At(77), 12);
}
