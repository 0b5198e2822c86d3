using System.ComponentModel;

namespace CompatLab.Engine.Configuration;

public sealed class TrainingSpec : IValidatedSpec
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

    public void Validate(SpecProblems problems)
    {
        problems.Require(Epochs > 0, "epochs", "expected at least one epoch");
        problems.Require(BatchSize >= 2, "batchSize", "expected a batch of at least 2 images (BatchNorm needs two)");
        problems.Require(MaxSteps >= 0, "maxSteps", "expected 0 (no limit) or a positive number of steps");
        problems.Require(LogEvery > 0, "logEvery", "expected a positive number of steps");
    }
}
