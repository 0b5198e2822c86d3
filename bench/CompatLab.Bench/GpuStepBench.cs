using System.Diagnostics;
using System.Globalization;
using CompatLab.Abstractions;
using CompatLab.Cli.SelfTest;
using CompatLab.Abstractions.Models;
using CompatLab.Abstractions.Plugins;
using CompatLab.Engine.Configuration;
using CompatLab.Engine.Models;
using CompatLab.Engine.Plugins;
using CompatLab.Engine.Runtime;
using CompatLab.Engine.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace CompatLab.Bench;

/// <summary>
/// <c>compatlab bench gpu-step --model NAME [--batch 256] [--size 224] [--channels 3] [--classes 1000]
/// [--precision fp32|bf16] [--layout nchw|channelsLast] [--warmup 5] [--steps 20] [--threads N] [--device cuda]</c> (hidden;
/// bench/gpu/run.sh runs it beside bench/gpu/torch_steps.py): training steps of any backbone plugin with the
/// host's 128-d embedding and a linear classifier, random data on the device, SGD with momentum. bf16 here is the
/// whole model in bfloat16 (the notes measured PyTorch's autocast at the same speed as that on the H200).
/// </summary>
public static class GpuStepBench
{
    private static readonly string[] Known = ["model", "batch", "size", "channels", "classes", "precision", "layout", "warmup", "steps", "seed", "threads"];

    public static int Run(CliArguments arguments)
    {
        var options = new BenchOptions("gpu-step", arguments.BenchOptions, Known);
        string device = arguments.Device ?? "cuda";
        RuntimeSetup.Prepare(device, new RuntimeSpec { Deterministic = false });
        torch.set_num_threads(options.PositiveInt("threads", Environment.ProcessorCount)); // on a CPU: as torch_steps.py --threads
        var format = new StepFormat(Choice(options, "precision", "fp32", RuntimeSpec.Precisions) == "bf16", Choice(options, "layout", "nchw", RuntimeSpec.MemoryFormats) == "channelsLast");
        var setup = new TrainingStepTimer.StepSetup(
            options.Text("model", "resnet-mini"),
            options.PositiveInt("batch", 256),
            options.PositiveInt("size", 224),
            options.PositiveInt("channels", 3),
            options.PositiveInt("classes", 1000),
            options.PositiveInt("seed", 1));
        var result = TrainingStepTimer.Measure(arguments.PluginDirectories, setup, format, torch.device(device), options.PositiveInt("warmup", 5), options.PositiveInt("steps", 20));
        System.Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT impl=torchsharp model={setup.Model} device={device} batch={setup.Batch} size={setup.Size} precision={(format.Bf16 ? "bf16" : "fp32")} layout={(format.ChannelsLast ? "channelsLast" : "nchw")} last_loss={result.LastLoss:F4} step_ms={result.StepSeconds * 1000:F2} images_per_second={setup.Batch / result.StepSeconds:F1}"));
        return 0;
    }

    private static string Choice(BenchOptions options, string name, string fallback, IReadOnlyList<string> allowed)
    {
        string value = options.Text(name, fallback);
        return allowed.Contains(value)
            ? value
            : throw new CompatLabUserException($"bench gpu-step: --{name} must be one of {string.Join(", ", allowed)}, got '{value}'");
    }
}
