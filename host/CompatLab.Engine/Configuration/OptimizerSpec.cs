using System.ComponentModel;

namespace CompatLab.Engine.Configuration;

public sealed class OptimizerSpec : IValidatedSpec
{
    public static readonly IReadOnlyList<string> Types = ["sgd", "adamw"];

    [Description("sgd or adamw.")]
    public string Type { get; set; } = "sgd";

    [Description("Peak learning rate.")]
    public double Lr { get; set; } = 0.05;

    [Description("sgd: momentum.")]
    public double Momentum { get; set; } = 0.9;

    [Description("sgd: Nesterov momentum.")]
    public bool Nesterov { get; set; }

    [Description("Weight decay (decoupled for adamw).")]
    public double WeightDecay { get; set; } = 5e-4;

    [Description("adamw: beta1.")]
    public double Beta1 { get; set; } = 0.9;

    [Description("adamw: beta2.")]
    public double Beta2 { get; set; } = 0.999;

    public void Validate(SpecProblems problems)
    {
        problems.OneOf(Type, Types, "type");
        problems.Require(Lr > 0, "lr", "expected a positive learning rate");
        problems.Require(WeightDecay >= 0, "weightDecay", "expected a non-negative weight decay");
    }
}
