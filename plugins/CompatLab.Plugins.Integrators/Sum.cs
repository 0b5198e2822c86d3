using CompatLab.Abstractions.Plugins;
using CompatLab.Abstractions.Training;
using CompatLab.Sdk.Integrators;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Integrators;

/// <summary>Plain sum of the task gradients (the BCT-S baseline): the gradient of the summed loss.</summary>
[CompatLabPlugin(
    PluginKind.GradientIntegrator,
    "sum",
    Description = "Sum of the per-task gradients, g = sum_k g_k: one backward of the summed loss.")]
public sealed class Sum : IGradientIntegrator
{
    public GradientIntegration Integrate(IReadOnlyList<Tensor> taskGradients, GradientIntegrationContext context)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var rows = TaskGradients.StackRows(taskGradients, context.RowWise);
        var merged = rows.sum(dim: 0).reshape(taskGradients[0].shape);
        var telemetry = ConflictTelemetry.Measure(rows, ConflictTelemetry.EqualWeights(taskGradients.Count));
        return new GradientIntegration(merged.MoveToOuterDisposeScope(), telemetry);
    }
}
