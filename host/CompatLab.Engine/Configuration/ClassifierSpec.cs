using System.ComponentModel;

namespace CompatLab.Engine.Configuration;

public sealed class ClassifierSpec : IValidatedSpec
{
    public static readonly IReadOnlyList<string> Types = ["linear", "cosine"];

    [Description("linear (W x + b) or cosine (scale * cos(x, w)).")]
    public string Type { get; set; } = "linear";

    [Description("Scale s of the cosine classifier.")]
    public double Scale { get; set; } = 16;

    public void Validate(SpecProblems problems)
    {
        problems.OneOf(Type, Types, "type");
        problems.Require(Scale > 0, "scale", "expected a positive scale");
    }
}
