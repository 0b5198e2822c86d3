using CompatLab.Abstractions.Plugins;
using CompatLab.Abstractions.Training;
using CompatLab.Sdk.Integrators;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Integrators;

/// <summary>
/// PCGrad (Yu et al., 2020) on the whole tensor: each task's gradient is projected, one partner after another in
/// a seeded random order, off every partner it still conflicts with; the projected gradients are summed.
/// </summary>
[CompatLabPlugin(
    PluginKind.GradientIntegrator,
    "pcgrad",
    Description = "PCGrad: project each task gradient off conflicting ones, sequentially in a random order; sum the results.")]
public sealed class PcGrad : IGradientIntegrator
{
    public GradientIntegration Integrate(IReadOnlyList<Tensor> taskGradients, GradientIntegrationContext context)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        int tasks = taskGradients.Count;
        var rows = TaskGradients.StackRows(taskGradients, context.RowWise);
        var original = rows.reshape(tasks, -1);
        var squaredNorms = original.square().sum(1);
        var projected = original.clone();

        // All tasks advance together: at step s task i meets the s-th partner of its own order.
        int[][] orders = Enumerable.Range(0, tasks).Select(i => TaskOrder.Shuffled(i, tasks, context.Random)).ToArray();
        for (int s = 0; s < tasks - 1; s++)
        {
            var partner = tensor(orders.Select(order => (long)order[s]).ToArray(), device: original.device);
            var partnerGradients = original.index_select(0, partner);
            var dots = projected.mul(partnerGradients).sum(1);
            var coefficients = where(dots.lt(0), dots / squaredNorms.index_select(0, partner), zeros_like(dots));
            projected = projected - (coefficients.unsqueeze(1) * partnerGradients);
        }

        var merged = projected.sum(dim: 0).reshape(taskGradients[0].shape);
        var telemetry = ConflictTelemetry.Measure(rows, ConflictTelemetry.EqualWeights(tasks));
        return new GradientIntegration(merged.MoveToOuterDisposeScope(), telemetry);
    }
}
