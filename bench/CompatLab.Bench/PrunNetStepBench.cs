using System.Diagnostics;
using System.Globalization;
using CompatLab.Abstractions;
using CompatLab.Abstractions.Models;
using CompatLab.Abstractions.Plugins;
using CompatLab.Abstractions.Training;
using CompatLab.Engine.Configuration;
using CompatLab.Engine.Models;
using CompatLab.Engine.Plugins;
using CompatLab.Engine.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace CompatLab.Bench;

/// <summary>
/// <c>compatlab bench prunnet-step [ROUNDS] [INTEGRATOR]</c> (not in the help; bench/prunnet-step.sh runs it): in
/// one process, the time of PrunNet's multi-capacity step (K+1 = 5 capacities) over K+1 plain dense steps of the
/// same model and batch (resnet-mini, batch 128 of 1x28x28, 2 threads). Rounds interleave the two, alternating
/// which goes first, after a warm-up; the ratio is total multi-capacity time over total dense time.
/// </summary>
public static class PrunNetStepBench
{
    private const int BatchSize = 128;
    private static readonly double[] Capacities = [1.0, 0.8, 0.6, 0.4, 0.2];

    public static int Run(CliArguments arguments)
    {
        int rounds = arguments.Words.Count > 2
            ? int.TryParse(arguments.Words[2], NumberStyles.None, CultureInfo.InvariantCulture, out int r) && r > 0 ? r : throw new CompatLabUserException($"bench prunnet-step: ROUNDS must be a positive whole number, got '{arguments.Words[2]}'")
            : 8;
        string integratorName = arguments.Words.ElementAtOrDefault(3) ?? "conflict-aware";
        torch.set_num_threads(2);

        using var catalog = PluginCatalog.Load(new[] { PluginCatalog.DefaultDirectory }.Concat(arguments.PluginDirectories));
        var binder = new ConfigBinder(new ConfigProvenance("bench"));
        var factory = new PluginFactory(catalog, binder);
        var backboneRef = factory.Bind(PluginKind.Backbone, new PluginRef("resnet-mini"), "bench:backbone");
        var integratorRef = factory.Bind(PluginKind.GradientIntegrator, new PluginRef(integratorName), "bench:integrator");
        binder.ThrowIfProblems();
        var backbone = factory.Create<IBackboneFactory>(backboneRef!);
        var integrator = factory.Create<IGradientIntegrator>(integratorRef!);

        using var model = ModelBuilder.Build(backbone, (1, 28, 28), new ModelSpec(), 10, seed: 1, CPU, withScores: true);
        model.train();
        using var generator = new Generator(7);
        using var images = randn(BatchSize, 1, 28, 28, generator: generator);
        using var targets = randint(0, 10, BatchSize, dtype: ScalarType.Int64, generator: generator);
        var batch = new TrainingBatch(images, targets, targets, 0, 0);
        using var denseOptimizer = OptimizerFactory.Create(new OptimizerSpec(), model.parameters());
        using var multiOptimizer = OptimizerFactory.Create(new OptimizerSpec(), model.parameters());
        using var dense = new ClassificationStep(model, null, CPU);
        using var multi = new MultiCapacityStep(model, Capacities, integrator, 100, seed: 1, CPU);

        // Processor time as well as wall time: on a shared machine other processes stretch wall time far more.
        var process = Process.GetCurrentProcess();
        double cpuMulti = 0;
        double cpuDense = 0;
        double Time(ITrainingStep step, optim.Optimizer optimizer, int repeats)
        {
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < repeats; i++)
            {
                using var scope = NewDisposeScope();
                step.Run(optimizer, batch);
            }

            double seconds = clock.Elapsed.TotalSeconds;
            process.Refresh();
            double cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
            if (ReferenceEquals(step, multi))
            {
                cpuMulti += cpu;
            }
            else
            {
                cpuDense += cpu;
            }

            return seconds;
        }

        int passes = Capacities.Length;
        Time(multi, multiOptimizer, 2);
        Time(dense, denseOptimizer, 2 * passes);
        cpuMulti = 0;
        cpuDense = 0;
        double multiTotal = 0;
        double denseTotal = 0;
        var ratios = new List<double>();
        double multiMin = double.MaxValue;
        double denseMin = double.MaxValue;
        System.Console.WriteLine($"resnet-mini, batch {BatchSize}, 2 threads, capacities [{string.Join(", ", Capacities)}], integrator {integratorName}, {rounds} rounds");
        System.Console.WriteLine("round  multi-capacity step (s)  K+1 dense steps (s)  ratio");
        for (int round = 0; round < rounds; round++)
        {
            double multiTime;
            double denseTime;
            if (round % 2 == 0)
            {
                multiTime = Time(multi, multiOptimizer, 1);
                denseTime = Time(dense, denseOptimizer, passes);
            }
            else
            {
                denseTime = Time(dense, denseOptimizer, passes);
                multiTime = Time(multi, multiOptimizer, 1);
            }

            multiTotal += multiTime;
            denseTotal += denseTime;
            ratios.Add(multiTime / denseTime);
            multiMin = Math.Min(multiMin, multiTime);
            denseMin = Math.Min(denseMin, denseTime);
            System.Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{round + 1,5}  {multiTime,23:F3}  {denseTime,19:F3}  {multiTime / denseTime,5:F3}"));
        }

        System.Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"dense step: {denseTotal / (rounds * passes) * 1000:F1} ms; multi-capacity step: {multiTotal / rounds * 1000:F1} ms"));
        ratios.Sort();
        double median = ratios.Count % 2 == 1 ? ratios[ratios.Count / 2] : (ratios[(ratios.Count / 2) - 1] + ratios[ratios.Count / 2]) / 2;
        var (maskSeconds, mergeSeconds) = Overheads(model, integrator);
        System.Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"our bookkeeping per multi-capacity step: masks {maskSeconds * 1000:F1} ms, integrator merge {mergeSeconds * 1000:F1} ms ({(maskSeconds + mergeSeconds) / (denseTotal / rounds) * 100:F1}% of K+1 dense steps)"));
        System.Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio of fastest rounds: {multiMin / denseMin:F3}; median round ratio: {median:F3}; processor-time ratio: {cpuMulti / cpuDense:F3}"));
        System.Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio (multi-capacity step / (K+1) dense steps): {multiTotal / denseTotal:F3}  (target: at most 1.15)"));
        return 0;
    }

    /// <summary>Seconds per step spent on what the multi-capacity step adds besides its passes: ranking scores and making masks, merging gradients.</summary>
    private static (double Masks, double Merge) Overheads(RetrievalModel model, IGradientIntegrator integrator)
    {
        const int Repeats = 5;
        var layers = Engine.Pruning.MaskableLayers.In(model);
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < Repeats; i++)
        {
            using var scope = NewDisposeScope();
            using var ranking = Engine.Pruning.StraightThroughMasks.RankScores(layers);
            foreach (double capacity in Capacities)
            {
                using var masks = Engine.Pruning.StraightThroughMasks.Apply(layers, ranking, capacity);
            }
        }

        double maskSeconds = clock.Elapsed.TotalSeconds / Repeats;
        using var gradientScope = NewDisposeScope();
        var tensors = layers.SelectMany(l => new[] { (Tensor)l.Weight, l.Scores! }).ToList();
        var gradients = tensors.Select(t => Capacities.Select(_ => randn_like(t)).ToList()).ToList();
        var random = new Random(1);
        clock.Restart();
        for (int i = 0; i < Repeats; i++)
        {
            for (int t = 0; t < tensors.Count; t++)
            {
                using var scope = NewDisposeScope();
                integrator.Integrate(gradients[t], new GradientIntegrationContext("bench", i, random) { RowWise = tensors[t].dim() == 4 });
            }
        }

        return (maskSeconds, clock.Elapsed.TotalSeconds / Repeats);
    }
}
