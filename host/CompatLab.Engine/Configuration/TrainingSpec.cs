using System.ComponentModel;

namespace CompatLab.Engine.Configuration;

public sealed class TrainingSpec
{
    [Description("Passes over the stage's training data.")]
    public int Epochs { get; set; } = 2;

    [Description("Images per step.")]
    public int BatchSize { get; set; } = 128;

    [Description("Stop after this many steps (0 = run all epochs).")]
    public int MaxSteps { get; set; }

    [Description("Log training metrics every this many steps.")]
    public int LogEvery { get; set; } = 50;

    public OptimizerSpec Optimizer { get; set; } = new();

    public ScheduleSpec Schedule { get; set; } = new();
}
