using System.ComponentModel;
using CompatLab.Abstractions;
using CompatLab.Abstractions.Plugins;
using CompatLab.Abstractions.Training;
using static TorchSharp.torch;

namespace MyIntegrator;

public sealed class MyIntegratorOptions : IValidatableOptions
{
    [Description("Multiplies the merged gradient.")]
    public double Scale { get; set; } = 1.0;

    public IEnumerable<string> Validate()
    {
        if (!(double.IsFinite(Scale) && Scale > 0))
        {
            yield return $"Option 'scale' must be a positive number; got {Scale}.";
        }
    }
}

/// <summary>
/// A gradient integrator merges the per-task gradients g_0..g_N of one parameter tensor (PrunNet: one task per
/// capacity) into the gradient the optimiser applies. This one takes their scaled mean.
/// </summary>
[CompatLabPlugin(PluginKind.GradientIntegrator, "my-integrator", Description = "Scaled mean of the task gradients.", Options = typeof(MyIntegratorOptions))]
public sealed class MyIntegrator : IGradientIntegrator
{
    private readonly double scale;

    public MyIntegrator(MyIntegratorOptions options)
    {
        if (options.Validate().FirstOrDefault() is { } problem)
        {
            throw new CompatLabUserException($"integrator 'my-integrator': {problem}");
        }

        scale = options.Scale;
    }

    public GradientIntegration Integrate(IReadOnlyList<Tensor> taskGradients, GradientIntegrationContext context)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var merged = stack(taskGradients).mean([0]).mul(scale);

        // Telemetry: numbers the host logs as metrics (averaged over tensors and steps).
        var telemetry = new Dictionary<string, double> { ["my-integrator/tasks"] = taskGradients.Count };
        return new GradientIntegration(merged.MoveToOuterDisposeScope(), telemetry);
    }
}
