using CompatLab.Abstractions.Hosting;
using CompatLab.Abstractions.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace CompatLab.Testing;

/// <summary>The checks for a backbone: the trunk it builds is run forward and backward on tiny seeded images.</summary>
internal static class BackboneChecks
{
    public static void Run(CheckRunner runner, PluginFactory factory, ConformanceSettings settings)
    {
        using var images = Images(settings);
        FeatureExtractor? network = null;
        runner.Run("builds a trunk with the promised output width", () =>
        {
            network = Build(factory, settings);
            using var scope = NewDisposeScope();
            TensorExpect.Shape(network.forward(images), [settings.BatchSize, network.OutputDim], "the features");
        });
        if (network is null)
        {
            return; // every other check needs a trunk; the failure above says why there is none
        }

        using (network)
        {
            if (settings.SingleBuild)
            {
                runner.Skip("a seeded run repeats exactly", "SingleBuild is set: the trunk is built only once.");
            }
            else
            {
                runner.Run("a seeded run repeats exactly", () => Repeats(factory, settings, network, images));
            }

            runner.Run("gradients flow and are finite", () => Gradients(network, images));
            TensorLeakCheck.Run(runner, settings.LeakSteps, () => TrainStep(network, images));
            runner.RunOnDevice(settings, device => FollowsDevice(network, images, device));
        }

        BadOptionsCheck.Run(runner, factory, settings, overrides => Build(factory, settings, overrides).Dispose());
    }

    private static FeatureExtractor Build(PluginFactory factory, ConformanceSettings settings, IReadOnlyDictionary<string, object?>? overrides = null)
    {
        var context = new BackboneContext(settings.InputChannels, settings.InputSide, settings.InputSide, new MaskableLayerFactory());
        var network = GlobalTorchRandom.Seeded(settings.Seed, () => factory.Create<IBackboneFactory>(overrides).Create(context)); // as the host builds
        network.train();
        return network;
    }

    private static Tensor Images(ConformanceSettings settings)
    {
        using var generator = new Generator((ulong)settings.Seed);
        return randn([settings.BatchSize, settings.InputChannels, settings.InputSide, settings.InputSide], generator: generator);
    }

    private static void TrainStep(FeatureExtractor network, Tensor images)
    {
        using var scope = NewDisposeScope();
        network.zero_grad();
        network.forward(images).pow(2).mean().backward();
    }

    private static void Gradients(FeatureExtractor network, Tensor images)
    {
        TrainStep(network, images);
        var missing = network.named_parameters().Where(p => p.parameter.requires_grad && p.parameter.grad is null).Select(p => p.name).ToList();
        ConformanceViolation.Unless(missing.Count == 0, $"no gradient reached {missing.Count} parameters: {string.Join(", ", missing.Take(5))}.");
        foreach (var (name, parameter) in network.named_parameters())
        {
            if (parameter.grad is { } grad)
            {
                TensorExpect.Finite(grad, $"the gradient of '{name}'");
            }
        }
    }

    /// <summary>Runs before any training step, so the first trunk still has its initial weights.</summary>
    private static void Repeats(PluginFactory factory, ConformanceSettings settings, FeatureExtractor first, Tensor images)
    {
        using var second = Build(factory, settings);
        using var scope = NewDisposeScope();
        TensorExpect.Same(first.forward(images), second.forward(images), "the features of a trunk built with the same seed");
    }

    private static void FollowsDevice(FeatureExtractor network, Tensor images, Device device)
    {
        network.to(device);
        try
        {
            using var scope = NewDisposeScope();
            TensorExpect.OnDevice(network.forward(images.to(device)), device, "the features");
        }
        finally
        {
            network.to(CPU);
        }
    }
}
