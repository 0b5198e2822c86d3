using CompatLab.Abstractions.Training;
using static TorchSharp.torch;

namespace CompatLab.Testing;

/// <summary>The checks for a gradient integrator: three tasks' gradients of a convolution weight and of a matrix.</summary>
internal static class IntegratorChecks
{
    private const int Tasks = 3;

    public static void Run(CheckRunner runner, PluginFactory factory, ConformanceSettings settings)
    {
        var integrator = factory.Create<IGradientIntegrator>();
        runner.Run("merged gradients are finite and keep the parameter's shape", () => Merges(integrator, settings, CPU, expectFinite: true));
        runner.Run("a seeded run repeats exactly", () =>
        {
            using var scope = NewDisposeScope();
            var first = Merge(factory.Create<IGradientIntegrator>(), settings, CPU);
            var second = Merge(factory.Create<IGradientIntegrator>(), settings, CPU);
            for (int i = 0; i < first.Count; i++)
            {
                TensorExpect.Same(first[i], second[i], "the merged gradient");
            }
        });
        TensorLeakCheck.Run(runner, settings.LeakSteps, () =>
        {
            using var scope = NewDisposeScope();
            Merge(integrator, settings, CPU);
        });
        runner.RunOnDevice(settings, device => Merges(integrator, settings, device, expectFinite: false));
        BadOptionsCheck.Run(runner, factory, settings, overrides => Merge(factory.Create<IGradientIntegrator>(overrides), settings, CPU));
    }

    private static void Merges(IGradientIntegrator integrator, ConformanceSettings settings, Device device, bool expectFinite)
    {
        using var scope = NewDisposeScope();
        foreach (var (name, shape, rowWise) in Parameters())
        {
            var gradients = TaskGradients(settings.Seed, shape, device);
            var merged = integrator.Integrate(gradients, new GradientIntegrationContext(name, 1, new Random(settings.Seed)) { RowWise = rowWise });
            TensorExpect.Shape(merged.Gradient, shape, $"the merged gradient of '{name}'");
            TensorExpect.OnDevice(merged.Gradient, device, $"the merged gradient of '{name}'");
            if (expectFinite)
            {
                TensorExpect.Finite(merged.Gradient, $"the merged gradient of '{name}'");
                var bad = merged.Telemetry.Where(t => !double.IsFinite(t.Value)).Select(t => t.Key).ToList();
                ConformanceViolation.Unless(bad.Count == 0, $"telemetry {string.Join(", ", bad)} is not a finite number.");
            }
        }
    }

    private static List<Tensor> Merge(IGradientIntegrator integrator, ConformanceSettings settings, Device device) =>
        Parameters().Select(p => integrator.Integrate(
            TaskGradients(settings.Seed, p.Shape, device),
            new GradientIntegrationContext(p.Name, 1, new Random(settings.Seed)) { RowWise = p.RowWise }).Gradient).ToList();

    private static (string Name, long[] Shape, bool RowWise)[] Parameters() =>
        [("conv.weight", [4, 3, 3, 3], true), ("linear.weight", [6, 5], false)];

    /// <summary>Gradients that partly conflict: each task is a shared direction plus its own noise.</summary>
    private static List<Tensor> TaskGradients(int seed, long[] shape, Device device)
    {
        using var generator = new Generator((ulong)seed);
        var shared = randn(shape, generator: generator);
        return Enumerable.Range(0, Tasks).Select(_ => shared.add(randn(shape, generator: generator).mul(2)).to(device)).ToList();
    }
}
