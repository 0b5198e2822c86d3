using System.Text.Json.Nodes;
using CompatLab.Abstractions.Plugins;
using CompatLab.Engine.Plugins;
using CompatLab.Engine.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace CompatLab.Cli.SelfTest;

/// <summary>
/// The GPU checks, shared by `compatlab selftest gpu` (for a GPU machine without .NET, bench/gpu/run.sh) and the
/// test category GpuFact: each check throws with a reason when it fails. Runs are tiny (synthetic 16x16 images).
/// </summary>
public static class GpuChecks
{
    /// <summary>A matmul, a convolution and a reduction on the device agree with the CPU.</summary>
    public static void TensorsMatchCpu(Device device)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(7);
        var a = randn(new long[] { 64, 96 }, generator: generator);
        var image = randn(new long[] { 2, 3, 16, 16 }, generator: generator);
        var weight = randn(new long[] { 8, 3, 3, 3 }, generator: generator);
        double matmul = (a.matmul(a.t()) - a.to(device).matmul(a.to(device).t()).cpu()).abs().max().item<float>();
        double conv = (nn.functional.conv2d(image, weight) - nn.functional.conv2d(image.to(device), weight.to(device)).cpu()).abs().max().item<float>();
        if (matmul > 1e-2 || conv > 1e-2)
        {
            throw new InvalidOperationException($"{device}: results differ from the CPU by {matmul:G3} (matmul) and {conv:G3} (conv2d)");
        }
    }

    /// <summary>
    /// Every compatibility loss (on cnn4) and every backbone (with bct) the catalog has, trained and evaluated on the
    /// device. Backbones get 3-channel 32x32 images: the torchvision ones need three channels and sides of 32.
    /// </summary>
    public static void EveryLossAndBackboneRuns(string device, string folder, CancellationToken cancel)
    {
        using var catalog = PluginCatalog.Load([PluginCatalog.DefaultDirectory]);
        var losses = Experiment("gpu-losses", device);
        losses["new"] = new JsonObject { ["loss"] = new JsonObject { ["type"] = "bct" }, ["training"] = Training() };
        losses["old"] = new JsonObject { ["training"] = Training() };
        losses["matrix"] = new JsonObject { ["axes"] = new JsonObject { ["new.loss.type"] = Names(catalog, PluginKind.CompatibilityLoss) } };
        Run(losses, Path.Combine(folder, "losses"), device, cancel);

        var backbones = Experiment("gpu-backbones", device, channels: 3, size: 32);
        backbones["new"] = new JsonObject { ["loss"] = new JsonObject { ["type"] = "bct" }, ["training"] = Training() };
        backbones["old"] = new JsonObject { ["training"] = Training() };
        backbones["matrix"] = new JsonObject { ["axes"] = new JsonObject { ["model.backbone.type"] = Names(catalog, PluginKind.Backbone) } };
        Run(backbones, Path.Combine(folder, "backbones"), device, cancel);
    }

    /// <summary>PrunNet on the device with every integrator, evaluated with every pruning criterion.</summary>
    public static void EveryIntegratorAndCriterionRuns(string device, string folder, CancellationToken cancel)
    {
        using var catalog = PluginCatalog.Load([PluginCatalog.DefaultDirectory]);
        var criteria = new JsonArray(Names(catalog, PluginKind.PruningCriterion).Select(n => (JsonNode)new JsonObject { ["criterion"] = new JsonObject { ["type"] = n!.GetValue<string>() } }).ToArray());
        var experiment = Experiment("gpu-prunnet", device);
        experiment["new"] = new JsonObject { ["training"] = Training() };
        experiment["prunnet"] = new JsonObject
        {
            ["capacities"] = new JsonArray(1.0, 0.5),
            ["evaluation"] = new JsonObject { ["capacities"] = new JsonArray(0.5), ["recalibrationBatches"] = 2, ["criteria"] = criteria },
        };
        experiment["matrix"] = new JsonObject { ["axes"] = new JsonObject { ["prunnet.integrator.type"] = Names(catalog, PluginKind.GradientIntegrator) } };
        Run(experiment, folder, device, cancel);
    }

    /// <summary>A run stopped after its first checkpoint on the device resumes from it and ends as an uninterrupted run.</summary>
    public static void ResumesOnDevice(string device, string folder, CancellationToken cancel)
    {
        var experiment = Experiment("gpu-resume", device);
        experiment["old"] = new JsonObject { ["training"] = Training(epochs: 4) };
        experiment["new"] = new JsonObject { ["loss"] = new JsonObject { ["type"] = "bct" }, ["training"] = Training(epochs: 6) };
        experiment["checkpoints"] = new JsonObject { ["everySteps"] = 3 };
        string reference = Path.Combine(folder, "reference");
        Run(experiment, reference, device, cancel);

        string interrupted = Path.Combine(folder, "interrupted");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var watcher = Task.Run(() =>
        {
            // Stop as soon as the new stage has written its first checkpoint; a GPU finishes the stage in well under a second.
            while (!stop.IsCancellationRequested && !HasNewStageCheckpoint(interrupted))
            {
                Thread.Sleep(1);
            }

            stop.Cancel();
        });
        Directory.CreateDirectory(interrupted);
        bool wasInterrupted = false;
        try
        {
            Run(experiment, interrupted, device, stop.Token);
        }
        catch (OperationCanceledException)
        {
            wasInterrupted = true;
        }

        stop.Cancel();
        watcher.Wait(cancel);
        if (!wasInterrupted)
        {
            throw new InvalidOperationException("the run finished before it could be stopped at its first checkpoint; nothing was resumed");
        }

        Run(experiment, interrupted, device, cancel);
        string Map(string root) => JsonNode.Parse(File.ReadAllText(Directory.GetFiles(root, "results.json", SearchOption.AllDirectories).Single()))!["cross"]!["map"]!.ToJsonString();
        if (Map(reference) != Map(interrupted))
        {
            throw new InvalidOperationException($"resumed run's cross mAP {Map(interrupted)} differs from the uninterrupted run's {Map(reference)}");
        }
    }

    /// <summary>bf16 channels-last training steps on the device: the loss stays finite.</summary>
    public static void Bf16ChannelsLastStepRuns(Device device)
    {
        var setup = new TrainingStepTimer.StepSetup("cnn4", 16, 32, 3, 10, 1);
        var result = TrainingStepTimer.Measure([], setup, new StepFormat(true, true), device, 1, 3);
        if (!float.IsFinite(result.LastLoss))
        {
            throw new InvalidOperationException($"bf16 channels-last step on {device}: loss {result.LastLoss}");
        }
    }

    private static JsonArray Names(PluginCatalog catalog, PluginKind kind) =>
        new(catalog.OfKind(kind).Select(p => p.Name).Order(StringComparer.Ordinal).Select(n => (JsonNode)JsonValue.Create(n)!).ToArray());

    private static JsonObject Training(int epochs = 1) => new() { ["epochs"] = epochs, ["batchSize"] = 8, ["logEvery"] = 2 };

    private static bool HasNewStageCheckpoint(string folder) =>
        Directory.Exists(folder) && Directory.GetFiles(folder, "step-*.ckpt", SearchOption.AllDirectories).Any(f => f.Contains("/checkpoints/new/", StringComparison.Ordinal));

    private static JsonObject Experiment(string name, string device, int channels = 1, int size = 16) => new()
    {
        ["name"] = name,
        ["seed"] = 3,
        ["device"] = device,
        ["output"] = "runs",
        ["tracking"] = new JsonObject { ["trackers"] = new JsonArray() },
        ["data"] = new JsonObject { ["dataset"] = new JsonObject { ["type"] = "synthetic", ["options"] = new JsonObject { ["classes"] = 4, ["trainPerClass"] = 24, ["testPerClass"] = 6, ["size"] = size, ["channels"] = channels } } },
        ["model"] = new JsonObject { ["backbone"] = new JsonObject { ["type"] = "cnn4" }, ["embeddingDim"] = 8 },
    };

    private static void Run(JsonObject experiment, string folder, string device, CancellationToken cancel)
    {
        Directory.CreateDirectory(folder);
        string file = Path.Combine(folder, $"{experiment["name"]}.json");
        File.WriteAllText(file, experiment.ToJsonString());
        string current = Environment.CurrentDirectory;
        try
        {
            Environment.CurrentDirectory = folder;
            int code = Commands.Run(CliArguments.Parse(["run", file, "--device", device]), cancel);
            cancel.ThrowIfCancellationRequested();
            if (code != 0)
            {
                throw new InvalidOperationException($"{experiment["name"]} on {device}: a cell failed (see above)");
            }
        }
        finally
        {
            Environment.CurrentDirectory = current;
        }
    }
}
