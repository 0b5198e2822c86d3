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
using CompatLab.Engine.Pruning;

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

        var clock = new StepClock(batch);
        System.Console.WriteLine($"resnet-mini, batch {BatchSize}, 2 threads, capacities [{string.Join(", ", Capacities)}], integrator {integratorName}, {rounds} rounds");
        var totals = Rounds(clock, (multi, multiOptimizer), (dense, denseOptimizer), rounds);
        int passes = Capacities.Length;
        System.Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"dense step: {totals.Dense / (rounds * passes) * 1000:F1} ms; multi-capacity step: {totals.Multi / rounds * 1000:F1} ms"));
        var (maskSeconds, mergeSeconds) = Overheads(model, integrator);
        System.Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"our bookkeeping per multi-capacity step: masks {maskSeconds * 1000:F1} ms, integrator merge {mergeSeconds * 1000:F1} ms ({(maskSeconds + mergeSeconds) / (totals.Dense / rounds) * 100:F1}% of K+1 dense steps)"));
        System.Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio of fastest rounds: {totals.MultiMin / totals.DenseMin:F3}; median round ratio: {totals.MedianRatio:F3}; processor-time ratio: {clock.Cpu(multi) / clock.Cpu(dense):F3}"));
        System.Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio (multi-capacity step / (K+1) dense steps): {totals.Multi / totals.Dense:F3}  (target: at most 1.15)"));
        return 0;
    }

    /// <summary>
    /// After a warm-up, rounds of one multi-capacity step against K+1 dense steps, alternating which goes first,
    /// each round printed. Processor time is counted from the first round on.
    /// </summary>
    private static RoundTotals Rounds(StepClock clock, (ITrainingStep Step, optim.Optimizer Optimizer) multi, (ITrainingStep Step, optim.Optimizer Optimizer) dense, int rounds)
    {
        int passes = Capacities.Length;
        clock.Time(multi.Step, multi.Optimizer, 2);
        clock.Time(dense.Step, dense.Optimizer, 2 * passes);
        clock.ResetProcessorTime();
        var totals = new RoundTotals();
        var ratios = new List<double>();
        System.Console.WriteLine("round  multi-capacity step (s)  K+1 dense steps (s)  ratio");
        for (int round = 0; round < rounds; round++)
        {
            double multiTime = 0;
            double denseTime = 0;
            foreach (bool multiNow in round % 2 == 0 ? new[] { true, false } : [false, true])
            {
                if (multiNow)
                {
                    multiTime = clock.Time(multi.Step, multi.Optimizer, 1);
                }
                else
                {
                    denseTime = clock.Time(dense.Step, dense.Optimizer, passes);
                }
            }

            totals = totals.Add(multiTime, denseTime);
            ratios.Add(multiTime / denseTime);
            System.Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{round + 1,5}  {multiTime,23:F3}  {denseTime,19:F3}  {multiTime / denseTime,5:F3}"));
        }

        ratios.Sort();
        double median = ratios.Count % 2 == 1 ? ratios[ratios.Count / 2] : (ratios[(ratios.Count / 2) - 1] + ratios[ratios.Count / 2]) / 2;
        return totals with { MedianRatio = median };
    }

    /// <summary>Sums and minima of the rounds' wall times, and the median of their ratios.</summary>
    private sealed record RoundTotals(double Multi = 0, double Dense = 0, double MultiMin = double.MaxValue, double DenseMin = double.MaxValue, double MedianRatio = double.NaN)
    {
        public RoundTotals Add(double multi, double dense) =>
            this with { Multi = Multi + multi, Dense = Dense + dense, MultiMin = Math.Min(MultiMin, multi), DenseMin = Math.Min(DenseMin, dense) };
    }

    /// <summary>
    /// Times repeated steps on one batch: wall time returned, processor time summed per step as well (on a shared
    /// machine other processes stretch wall time far more).
    /// </summary>
    private sealed class StepClock
    {
        private readonly TrainingBatch batch;
        private readonly Process process = Process.GetCurrentProcess();
        private readonly Dictionary<ITrainingStep, double> processorSeconds = new(ReferenceEqualityComparer.Instance);

        public StepClock(TrainingBatch batch)
        {
            this.batch = batch;
        }

        public double Cpu(ITrainingStep step) => processorSeconds.GetValueOrDefault(step);

        public void ResetProcessorTime() => processorSeconds.Clear();

        public double Time(ITrainingStep step, optim.Optimizer optimizer, int repeats)
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
            processorSeconds[step] = Cpu(step) + (process.TotalProcessorTime - cpuBefore).TotalSeconds;
            return seconds;
        }
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
