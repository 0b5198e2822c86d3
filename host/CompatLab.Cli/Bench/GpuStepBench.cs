using System.Diagnostics;
using System.Globalization;
using CompatLab.Abstractions;
using CompatLab.Abstractions.Models;
using CompatLab.Abstractions.Plugins;
using CompatLab.Engine.Configuration;
using CompatLab.Engine.Models;
using CompatLab.Engine.Plugins;
using CompatLab.Engine.Runtime;
using CompatLab.Engine.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace CompatLab.Cli.Bench;

/// <summary>
/// <c>compatlab bench gpu-step --model NAME [--batch 256] [--size 224] [--channels 3] [--classes 1000]
/// [--precision fp32|bf16] [--layout nchw|channelsLast] [--warmup 5] [--steps 20] [--device cuda]</c> (hidden;
/// bench/gpu/run.sh runs it beside bench/gpu/torch_steps.py): training steps of any backbone plugin with the
/// host's 128-d embedding and a linear classifier, random data on the device, SGD with momentum. bf16 here is the
/// whole model in bfloat16 (the notes measured PyTorch's autocast at the same speed as that on the H200).
/// </summary>
public static class GpuStepBench
{
    private static readonly string[] Known = ["model", "batch", "size", "channels", "classes", "precision", "layout", "warmup", "steps", "seed"];

    public static int Run(CliArguments arguments)
    {
        var options = new BenchOptions("gpu-step", arguments.BenchOptions, Known);
        string device = arguments.Device ?? "cuda";
        RuntimeSetup.Prepare(device, new RuntimeSpec { Deterministic = false });
        var format = new StepFormat(Choice(options, "precision", "fp32", RuntimeSpec.Precisions) == "bf16", Choice(options, "layout", "nchw", RuntimeSpec.MemoryFormats) == "channelsLast");
        var setup = new StepSetup(
            options.Text("model", "resnet-mini"),
            options.PositiveInt("batch", 256),
            options.PositiveInt("size", 224),
            options.PositiveInt("channels", 3),
            options.PositiveInt("classes", 1000),
            options.PositiveInt("seed", 1));
        var result = Measure(arguments, setup, format, torch.device(device), options.PositiveInt("warmup", 5), options.PositiveInt("steps", 20));
        System.Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT impl=torchsharp model={setup.Model} device={device} batch={setup.Batch} size={setup.Size} precision={(format.Bf16 ? "bf16" : "fp32")} layout={(format.ChannelsLast ? "channelsLast" : "nchw")} last_loss={result.LastLoss:F4} step_ms={result.StepSeconds * 1000:F2} images_per_second={setup.Batch / result.StepSeconds:F1}"));
        return 0;
    }

    public sealed record StepSetup(string Model, int Batch, int Size, int Channels, int Classes, int Seed);

    public sealed record StepResult(double StepSeconds, float LastLoss);

    /// <summary>Warm-up steps, then the mean time of <paramref name="steps"/> steps (the device synchronised before and after).</summary>
    public static StepResult Measure(CliArguments arguments, StepSetup setup, StepFormat format, Device device, int warmup, int steps)
    {
        using var catalog = PluginCatalog.Load(new[] { PluginCatalog.DefaultDirectory }.Concat(arguments.PluginDirectories));
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

    private static string Choice(BenchOptions options, string name, string fallback, IReadOnlyList<string> allowed)
    {
        string value = options.Text(name, fallback);
        return allowed.Contains(value)
            ? value
            : throw new CompatLabUserException($"bench gpu-step: --{name} must be one of {string.Join(", ", allowed)}, got '{value}'");
    }
}
