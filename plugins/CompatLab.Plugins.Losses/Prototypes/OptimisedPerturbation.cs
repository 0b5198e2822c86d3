using static TorchSharp.torch;

namespace CompatLab.Plugins.Losses.Prototypes;

/// <summary>
/// ODPP's perturbation: a few steps of projected Adam on
/// <c>E_bank[CE(s cos(f_o, p), y) + alpha CE(s cos(f_n, p), y)] + mu ||delta||_F^2</c>, <c>p = norm(o + delta)</c>,
/// subject to <c>||delta_c|| &lt;= eps</c>. Warm-started from the previous solution; Adam's state starts afresh.
/// </summary>
public static class OptimisedPerturbation
{
    private const double Beta1 = 0.9;
    private const double Beta2 = 0.999;
    private const double AdamEpsilon = 1e-8;

    /// <param name="inputs">Needs a bank with at least one row; otherwise the previous perturbation is kept.</param>
    /// <returns>delta within eps, and the objective before the first and after the last step (NaN with no bank rows).</returns>
    public static (Tensor Delta, double ObjectiveBefore, double ObjectiveAfter) Solve(PerturbationInputs inputs, OptimisedPerturbationSettings settings)
    {
        using var scope = NewDisposeScope();
        if (inputs.Bank is not { Count: > 0 } bank)
        {
            return (inputs.Previous.clone().MoveToOuterDisposeScope(), double.NaN, double.NaN);
        }

        (Tensor bankOld, Tensor bankNew, Tensor labels) = bank.Contents();
        Tensor oldDirections = nn.functional.normalize(bankOld, p: 2, dim: 1);
        Tensor newDirections = nn.functional.normalize(bankNew, p: 2, dim: 1);
        Tensor delta = RowNormClip.Apply(inputs.Previous, settings.Eps);
        Tensor firstMoment = zeros_like(delta);
        Tensor secondMoment = zeros_like(delta);
        double before = double.NaN;
        using var gradients = enable_grad();
        for (int step = 1; step <= settings.Steps; step++)
        {
            using var stepScope = NewDisposeScope();
            Tensor leaf = delta.detach().clone().requires_grad_();
            Tensor objective = Objective(inputs.Old, leaf, oldDirections, newDirections, labels, settings);
            if (step == 1)
            {
                before = objective.item<float>();
            }

            Tensor gradient = autograd.grad([objective], [leaf])[0];
            using (no_grad())
            {
                firstMoment.mul_(Beta1).add_(gradient, alpha: 1 - Beta1);
                secondMoment.mul_(Beta2).addcmul_(gradient, gradient, value: 1 - Beta2);
                Tensor corrected = firstMoment.div(1 - Math.Pow(Beta1, step));
                Tensor spread = secondMoment.div(1 - Math.Pow(Beta2, step)).sqrt().add(AdamEpsilon);
                Tensor moved = RowNormClip.Apply(delta.sub(corrected.div(spread).mul(settings.LearningRate)), settings.Eps);
                delta.copy_(moved);
            }
        }

        double after;
        using (no_grad())
        {
            after = Objective(inputs.Old, delta, oldDirections, newDirections, labels, settings).item<float>();
        }

        return (delta.MoveToOuterDisposeScope(), double.IsNaN(before) ? after : before, after);
    }

    private static Tensor Objective(Tensor old, Tensor delta, Tensor oldDirections, Tensor newDirections, Tensor labels, OptimisedPerturbationSettings settings)
    {
        Tensor pseudo = nn.functional.normalize(old.add(delta), p: 2, dim: 1).t();
        Tensor oldTerm = nn.functional.cross_entropy(oldDirections.matmul(pseudo).mul(settings.Scale), labels);
        Tensor newTerm = nn.functional.cross_entropy(newDirections.matmul(pseudo).mul(settings.Scale), labels);
        return oldTerm.add(newTerm.mul(settings.Alpha)).add(delta.pow(2).sum().mul(settings.Mu));
    }
}
