using System.ComponentModel;

namespace CompatLab.Engine.Configuration;

public sealed class CheckpointSpec : IValidatedSpec
{
    [Description("Write a checkpoint every this many steps (and at the end of every epoch).")]
    public int EverySteps { get; set; } = 200;

    [Description("How many checkpoints of a stage to keep.")]
    public int Keep { get; set; } = 2;

    public void Validate(SpecProblems problems)
    {
        problems.Require(EverySteps > 0, "everySteps", "expected a positive number of steps");
        problems.Require(Keep > 0, "keep", "expected to keep at least one checkpoint");
    }
}
