using System.ComponentModel;

namespace CompatLab.Engine.Configuration;

public sealed class ScheduleSpec : IValidatedSpec
{
    public static readonly IReadOnlyList<string> Types = ["constant", "cosine", "step"];

    [Description("constant, cosine (to 0 at the last step) or step (multiply by gamma at each milestone epoch).")]
    public string Type { get; set; } = "cosine";

    [Description("Linear warm-up from 0 over this many steps.")]
    public int WarmupSteps { get; set; }

    [Description("step: epochs at which the rate is multiplied by gamma.")]
    public List<int> Milestones { get; set; } = new();

    [Description("step: the factor applied at each milestone.")]
    public double Gamma { get; set; } = 0.1;

    public void Validate(SpecProblems problems)
    {
        problems.OneOf(Type, Types, "type");
        problems.Require(WarmupSteps >= 0, "warmupSteps", "expected 0 or more steps");
    }
}
