using System.ComponentModel;

namespace CompatLab.Engine.Configuration;

public sealed class CheckpointSpec
{
    [Description("Write a checkpoint every this many steps (and at the end of every epoch).")]
    public int EverySteps { get; set; } = 200;

    [Description("How many checkpoints of a stage to keep.")]
    public int Keep { get; set; } = 2;
}
