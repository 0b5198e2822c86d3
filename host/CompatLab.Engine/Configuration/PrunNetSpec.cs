using System.ComponentModel;

namespace CompatLab.Engine.Configuration;

/// <summary>
/// Turns a run into PrunNet training: one maskable network with learned scores, trained on all training data with
/// a loss per capacity in every step and the per-capacity gradients merged by an integrator plugin. There is no
/// old model and no compatibility loss; the new stage's training settings (epochs, batch, optimiser, schedule) apply.
/// </summary>
public sealed class PrunNetSpec : IValidatedSpec
{
    [Description("Fractions of weights kept by the subnetworks trained in every step; must include 1.0 (the dense network). Sorted largest first.")]
    public List<double> Capacities { get; set; } = new() { 1.0, 0.8, 0.6, 0.4, 0.2 };

    [Description("The gradient integrator plugin that merges the per-capacity gradients of masked weights and scores; default from defaults.json.")]
    public PluginRef Integrator { get; set; } = new();

    [Description("Clip the global gradient norm at this value before the optimiser step (0 = no clipping).")]
    public double GradClipNorm { get; set; } = 100;

    [Description("The capacity grid evaluated after training and the pruning criteria used; defaults when absent (capacities 1 to 0.1, learned-score, layer scope, 50 recalibration batches).")]
    [OptionalSection]
    public PrunNetEvaluationSpec? Evaluation { get; set; }

    /// <summary>Checks the capacities and sorts them largest first, so the dense network is task 0 and equal lists hash alike.</summary>
    public void Validate(SpecProblems problems)
    {
        bool valid = CapacityChecks.EachAFraction(Capacities, problems, "capacities");
        valid &= CapacityChecks.EachOnce(Capacities, problems, "capacities");
        if (!Capacities.Contains(1.0))
        {
            problems.Add("capacities", $"expected the list to include 1.0 (the dense network, whose pass alone trains BatchNorm, projector and classifier), got [{string.Join(", ", Capacities.Select(CapacityChecks.Text))}]");
            valid = false;
        }

        if (valid)
        {
            Capacities = Capacities.OrderByDescending(c => c).ToList();
        }

        problems.Require(double.IsFinite(GradClipNorm) && GradClipNorm >= 0, "gradClipNorm", $"expected 0 (no clipping) or a positive gradient norm, got {CapacityChecks.Text(GradClipNorm)}");
    }
}
