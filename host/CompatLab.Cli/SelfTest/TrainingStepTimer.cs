using System.Diagnostics;
using CompatLab.Abstractions.Models;
using CompatLab.Abstractions.Plugins;
using CompatLab.Engine.Configuration;
using CompatLab.Engine.Models;
using CompatLab.Engine.Plugins;
using CompatLab.Engine.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace CompatLab.Cli.SelfTest;

/// <summary>
/// Times training steps of any backbone plugin (host embedding, linear classifier, random data on the device, SGD
/// with momentum): the GPU self-test checks a step runs in each format, and the bench's gpu-step reports the speed.
/// </summary>
public static class TrainingStepTimer
{
    public sealed record StepSetup(string Model, int Batch, int Size, int Channels, int Classes, int Seed);

    public sealed record StepResult(double StepSeconds, float LastLoss);

    /// <summary>Warm-up steps, then the mean time of <paramref name="steps"/> steps (the device synchronised before and after).</summary>
    public static StepResult Measure(IEnumerable<string> pluginDirectories, StepSetup setup, StepFormat format, Device device, int warmup, int steps)
    {
        using var catalog = PluginCatalog.Load(new[] { PluginCatalog.DefaultDirectory }.Concat(pluginDirectories));
        var binder = new ConfigBinder(new ConfigProvenance("bench"));
        var factory = new PluginFactory(catalog, binder);
        var bound = factory.Bind(PluginKind.Backbone, new PluginRef(setup.Model), "bench:model");
        binder.ThrowIfProblems();
        var backbone = factory.Create<IBackboneFactory>(bound!);
        using var model = ModelBuilder.Build(backbone, (setup.Channels, setup.Size, setup.Size), new ModelSpec(), setup.Classes, setup.Seed, device);
        model.to(format.Dtype);
        model.train();
        using var generator = new Generator((ulong)setup.Seed);
        using var images = format.Input(randn(new long[] { setup.Batch, setup.Channels, setup.Size, setup.Size }, generator: generator).to(device));
        using var targets = randint(0, setup.Classes, new long[] { setup.Batch }, dtype: ScalarType.Int64, generator: generator).to(device);
        using var optimizer = OptimizerFactory.Create(new OptimizerSpec(), model.parameters());
        bool cuda = device.type == DeviceType.CUDA;
        float lastLoss = float.NaN;
        void Steps(int count)
        {
            for (int i = 0; i < count; i++)
            {
                using var scope = NewDisposeScope();
                var logits = model.Classifier.forward(model.forward(images));
                var loss = nn.functional.cross_entropy(logits.to(ScalarType.Float32), targets);
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
                if (i == count - 1)
                {
                    lastLoss = loss.item<float>();
                }
            }

            if (cuda)
            {
                torch.cuda.synchronize();
            }
        }

        Steps(warmup);
        var clock = Stopwatch.StartNew();
        Steps(steps);
        return new StepResult(clock.Elapsed.TotalSeconds / steps, lastLoss);
    }
}
