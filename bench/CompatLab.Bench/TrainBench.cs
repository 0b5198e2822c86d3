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
using Microsoft.Extensions.Configuration;
using TorchSharp;
using static TorchSharp.torch;

namespace CompatLab.Bench;

/// <summary>
/// <c>compatlab bench train --backbone cnn4|resnet-mini [--widths A,B,..] [--batch 128] [--warmup 5] [--steps 20]
/// [--seed 1] [--batches 8]</c> (not in the help; bench/run-all.sh runs it): a bare TorchSharp training loop over the model our
/// runs train (backbone plugin, EmbeddingNetwork 128-d, linear classifier for 10 classes, 1x28x28 inputs), with
/// plain forward, cross-entropy, backward and SGD (momentum 0.9, weight decay 5e-4) on --batches random batches in turn (default 8),
/// 2 threads. No data loading, schedule, loss bookkeeping or logging: the floor our pipeline is compared with.
/// </summary>
public static class TrainBench
{
    public const int Channels = 1;
    public const int ImageSize = 28;
    public const int Classes = 10;
    public const int EmbeddingDim = 128;
    public const int DefaultDistinctBatches = 8;

    private static readonly string[] Known = ["backbone", "widths", "batch", "warmup", "steps", "seed", "batches"];

    /// <summary>The plugins' default widths, which the runs and the PyTorch reference use.</summary>
    private static readonly Dictionary<string, int[]> DefaultWidths = new(StringComparer.Ordinal)
    {
        ["cnn4"] = [32, 64, 128, 128],
        ["resnet-mini"] = [16, 32, 64],
    };

    public static int Run(CliArguments arguments)
    {
        var options = new BenchOptions("train", arguments.BenchOptions, Known);
        string backboneName = options.Text("backbone", "resnet-mini");
        if (!DefaultWidths.TryGetValue(backboneName, out int[]? widths))
        {
            throw new CompatLabUserException($"bench train: --backbone must be one of {string.Join(", ", DefaultWidths.Keys)}, got '{backboneName}'");
        }

        widths = ParseWidths(options.Text("widths", string.Join(',', widths)), widths.Length);
        int batchSize = options.PositiveInt("batch", 128);
        int warmup = options.PositiveInt("warmup", 5);
        int steps = options.PositiveInt("steps", 20);
        int seed = options.PositiveInt("seed", 1);
        int distinctBatches = options.PositiveInt("batches", DefaultDistinctBatches);
        torch.set_num_threads(2);

        using var catalog = PluginCatalog.Load(new[] { PluginCatalog.DefaultDirectory }.Concat(arguments.PluginDirectories));
        var binder = new ConfigBinder(new ConfigProvenance("bench"));
        var factory = new PluginFactory(catalog, binder);
        var backboneRef = factory.Bind(PluginKind.Backbone, new PluginRef(backboneName) { Options = WidthsSection(widths) }, "bench:backbone");
        binder.ThrowIfProblems();
        var backbone = factory.Create<IBackboneFactory>(backboneRef!);

        using var model = ModelBuilder.Build(backbone, (Channels, ImageSize, ImageSize), new ModelSpec { EmbeddingDim = EmbeddingDim }, Classes, seed, CPU);
        model.train();
        using var generator = new Generator((ulong)seed);
        // A few distinct batches in turn, not one, closer to real training (with --batches 50 no batch repeats in a
        // default run; it measured within 5% of 8, and flushing denormal floats to zero changed nothing).
        using var images = randn(new long[] { distinctBatches, batchSize, Channels, ImageSize, ImageSize }, generator: generator);
        using var targets = randint(0, Classes, new long[] { distinctBatches, batchSize }, dtype: ScalarType.Int64, generator: generator);
        using var optimizer = OptimizerFactory.Create(new OptimizerSpec(), model.parameters());

        var timing = Time(model, images, targets, optimizer, warmup, steps);

        long macs = backboneName == "cnn4"
            ? StepFlops.Cnn4Macs(Channels, ImageSize, widths, EmbeddingDim, Classes)
            : StepFlops.ResNetMiniMacs(Channels, ImageSize, widths, blocksPerStage: 1, EmbeddingDim, Classes);
        double flops = StepFlops.TrainingStep(macs, batchSize);
        double stepSeconds = timing.Seconds / steps;
        string allocator = Jemalloc.ActiveAllocator();
        var heap = allocator == "glibc" ? NativeHeap.Usage() : null;
        string memoryFields = $" allocator={allocator}" + (heap is { } usage ? $" heap_held_mb={usage.HeldBytes / 1048576.0:F0} heap_in_use_mb={usage.InUseBytes / 1048576.0:F0}" : string.Empty);
        System.Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT impl=torchsharp-bare backbone={backboneName} widths={string.Join(',', widths)} batch={batchSize} warmup={warmup} steps={steps} batches={distinctBatches} last_loss={timing.LastLoss:F4} tensors_outside_scopes={timing.Escaped} tensors_left_alive={timing.LeftAlive} step_ms={stepSeconds * 1000:F2} images_per_second={batchSize / stepSeconds:F1} forward_macs_per_image={macs} flops_per_step={flops:E4} gflops={flops / stepSeconds / 1e9:F2}{memoryFields}"));
        return 0;
    }

    /// <summary>The timed steps' wall time, the last loss, and the tensors that escaped a dispose scope or stayed alive.</summary>
    private sealed record Timing(double Seconds, float LastLoss, long Escaped, long LeftAlive);

    /// <summary>Warm-up steps, then the timed ones, cycling through the distinct batches.</summary>
    private static Timing Time(RetrievalModel model, Tensor images, Tensor targets, optim.Optimizer optimizer, int warmup, int steps)
    {
        long distinctBatches = images.shape[0];
        float lastLoss = float.NaN;
        void Steps(int count)
        {
            for (int i = 0; i < count; i++)
            {
                using var scope = NewDisposeScope();
                var logits = model.Classifier.forward(model.forward(images[i % distinctBatches]));
                var loss = nn.functional.cross_entropy(logits, targets[i % distinctBatches]);
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
                if (i == count - 1)
                {
                    lastLoss = loss.item<float>();
                }
            }
        }

        Steps(warmup);
        long outsideBefore = DisposeScopeManager.Statistics.CreatedOutsideScopeCount;
        long liveBefore = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        var clock = Stopwatch.StartNew();
        Steps(steps);
        double seconds = clock.Elapsed.TotalSeconds;
        return new Timing(
            seconds,
            lastLoss,
            DisposeScopeManager.Statistics.CreatedOutsideScopeCount - outsideBefore,
            DisposeScopeManager.Statistics.ThreadTotalLiveCount - liveBefore);
    }

    private static int[] ParseWidths(string text, int count)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var widths = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out widths[i]) || widths[i] < 1)
            {
                throw new CompatLabUserException($"bench train: --widths must be {count} positive whole numbers separated by commas, got '{text}'");
            }
        }

        return widths.Length == count
            ? widths
            : throw new CompatLabUserException($"bench train: --widths must be {count} positive whole numbers separated by commas, got '{text}'");
    }

    private static IConfigurationSection WidthsSection(int[] widths) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(widths.Select((w, i) => new KeyValuePair<string, string?>($"options:widths:{i}", w.ToString(CultureInfo.InvariantCulture))))
            .Build()
            .GetSection("options");
}
