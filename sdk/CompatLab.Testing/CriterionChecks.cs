using CompatLab.Abstractions.Hosting;
using CompatLab.Abstractions.Models;
using CompatLab.Abstractions.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace CompatLab.Testing;

/// <summary>The checks for a pruning criterion, on one small maskable convolution with learnable scores.</summary>
internal static class CriterionChecks
{
    public static void Run(CheckRunner runner, PluginFactory factory, ConformanceSettings settings)
    {
        using var layer = Layer(settings.Seed);
        var criterion = factory.Create<IPruningCriterion>();
        runner.Run("scores are finite, detached and shaped like the weight", () =>
        {
            using var scope = NewDisposeScope();
            var scores = criterion.Score(layer, Context(layer, settings.Seed));
            TensorExpect.Shape(scores, layer.Weight.shape, "the scores");
            TensorExpect.Finite(scores, "the scores");
            ConformanceViolation.Unless(!scores.requires_grad, "the scores carry a gradient tape; compute them under no_grad().");
        });
        runner.Run("a seeded run repeats exactly", () =>
        {
            using var scope = NewDisposeScope();
            var first = factory.Create<IPruningCriterion>().Score(layer, Context(layer, settings.Seed));
            var second = factory.Create<IPruningCriterion>().Score(layer, Context(layer, settings.Seed));
            TensorExpect.Same(first, second, "the scores");
        });
        TensorLeakCheck.Run(runner, settings.LeakSteps, () =>
        {
            using var scope = NewDisposeScope();
            criterion.Score(layer, Context(layer, settings.Seed));
        });
        runner.RunOnDevice(settings, device => FollowsDevice(criterion, settings, device));
        BadOptionsCheck.Run(runner, factory, settings, overrides =>
        {
            using var scope = NewDisposeScope();
            factory.Create<IPruningCriterion>(overrides).Score(layer, Context(layer, settings.Seed));
        });
    }

    private static MaskableConv2d Layer(int seed)
    {
        return GlobalTorchRandom.Seeded(seed, () =>
        {
            var layer = new MaskableConv2d(3, 4, 3) { LayerName = "conv" };
            layer.EnableScores(); // its initial scores come from the same generator
            return layer;
        });
    }

    /// <summary>A context whose gradient accumulation fills the weight's grad with seeded numbers, as a few batches would.</summary>
    private static PruningContext Context(MaskableConv2d layer, int seed) => new(seed, batches =>
    {
        using var generator = new Generator((ulong)(seed + batches));
        using var noGrad = no_grad();
        var gradient = randn(layer.Weight.shape, generator: generator).to(layer.Weight.device);
        if (layer.Weight.grad is { } existing)
        {
            existing.copy_(gradient);
        }
        else
        {
            layer.Weight.grad = gradient.DetachFromDisposeScope();
        }
    });

    private static void FollowsDevice(IPruningCriterion criterion, ConformanceSettings settings, Device device)
    {
        using var layer = Layer(settings.Seed);
        layer.to(device);
        using var scope = NewDisposeScope();
        TensorExpect.OnDevice(criterion.Score(layer, Context(layer, settings.Seed)), device, "the scores");
    }
}
