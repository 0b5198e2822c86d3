using System.ComponentModel;

namespace CompatLab.Engine.Configuration;

/// <summary>The new model: classification on all training data plus lambda times the compatibility loss.</summary>
public sealed class NewStageSpec : IValidatedSpec
{
    [Description("The new model's backbone when it differs from model.backbone (extended-backbone); empty type means the same.")]
    public PluginRef Backbone { get; set; } = new(string.Empty);

    // Required unless the experiment has a prunnet section; the resolver checks that, as it depends on another key.
    [Description("The compatibility loss plugin (required, except in a prunnet run, which has none).")]
    public PluginRef Loss { get; set; } = new(string.Empty);

    [Description("Weight lambda of the compatibility loss.")]
    public double Lambda { get; set; } = 1.0;

    public TrainingSpec Training { get; set; } = new();

    public void Validate(SpecProblems problems) =>
        problems.Require(double.IsFinite(Lambda) && Lambda >= 0, "lambda", "expected a non-negative number");
}
