using System.Text.Json.Nodes;
using CompatLab.Abstractions.Plugins;
using CompatLab.Cli.Bench;
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

    /// <summary>Every backbone and every compatibility loss the catalog has, trained and evaluated on the device.</summary>
    public static void EveryLossAndBackboneRuns(string device, string folder, CancellationToken cancel)
    {
        using var catalog = PluginCatalog.Load([PluginCatalog.DefaultDirectory]);
        var matrix = new JsonObject
        {
            ["axes"] = new JsonObject
            {
                ["new.loss.type"] = Names(catalog, PluginKind.CompatibilityLoss),
                ["model.backbone.type"] = Names(catalog, PluginKind.Backbone),
            },
        };
        var experiment = Experiment("gpu-losses", device);
        experiment["new"] = new JsonObject { ["loss"] = new JsonObject { ["type"] = "bct" }, ["training"] = Training() };
        experiment["old"] = new JsonObject { ["training"] = Training() };
        experiment["matrix"] = matrix;
        Run(experiment, folder, device, cancel);
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
        using var watcher = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested && !Directory.EnumerateFiles(interrupted, "checkpoint*", SearchOption.AllDirectories).Any(f => f.Contains("new", StringComparison.Ordinal)))
            {
                Thread.Sleep(5);
            }

            stop.Cancel();
        });
        Directory.CreateDirectory(interrupted);
        try
        {
            Run(experiment, interrupted, device, stop.Token);
        }
        catch (OperationCanceledException)
        {
            // Expected: the run stopped at a checkpoint.
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
        var setup = new GpuStepBench.StepSetup("cnn4", 16, 32, 3, 10, 1);
        var result = GpuStepBench.Measure(CliArguments.Parse([]), setup, new StepFormat(true, true), device, 1, 3);
        if (!float.IsFinite(result.LastLoss))
        {
            throw new InvalidOperationException($"bf16 channels-last step on {device}: loss {result.LastLoss}");
        }
    }

    private static JsonArray Names(PluginCatalog catalog, PluginKind kind) =>
        new(catalog.OfKind(kind).Select(p => p.Name).Order(StringComparer.Ordinal).Select(n => (JsonNode)JsonValue.Create(n)!).ToArray());

    private static JsonObject Training(int epochs = 1) => new() { ["epochs"] = epochs, ["batchSize"] = 8, ["logEvery"] = 2 };

    private static JsonObject Experiment(string name, string device) => new()
    {
        ["name"] = name,
        ["seed"] = 3,
        ["device"] = device,
        ["output"] = "runs",
        ["tracking"] = new JsonObject { ["trackers"] = new JsonArray() },
        ["data"] = new JsonObject { ["dataset"] = new JsonObject { ["type"] = "synthetic", ["options"] = new JsonObject { ["classes"] = 4, ["trainPerClass"] = 24, ["testPerClass"] = 6, ["size"] = 16 } } },
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
