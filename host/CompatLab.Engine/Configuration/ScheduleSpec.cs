using System.ComponentModel;

namespace CompatLab.Engine.Configuration;

public sealed class ScheduleSpec
{
    [Description("constant, cosine (to 0 at the last step) or step (multiply by gamma at each milestone epoch).")]
    public string Type { get; set; } = "cosine";

    [Description("Linear warm-up from 0 over this many steps.")]
    public int WarmupSteps { get; set; }

    [Description("step: epochs at which the rate is multiplied by gamma.")]
    public List<int> Milestones { get; set; } = new();

    [Description("step: the factor applied at each milestone.")]
    public double Gamma { get; set; } = 0.1;
}
