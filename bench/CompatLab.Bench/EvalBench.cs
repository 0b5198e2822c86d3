using System.Diagnostics;
using System.Globalization;
using CompatLab.Engine.Evaluation;
using TorchSharp;
using static TorchSharp.torch;

namespace CompatLab.Bench;

/// <summary>
/// <c>compatlab bench eval --n N --dim D --seed S [--classes C] [--noise X] [--repeats R] [--chunk Q] [--folder DIR]</c>
/// (not in the help; bench/run-all.sh runs it): makes N seeded, normalised features around C random class centres,
/// writes them and their labels to DIR/features.npy and DIR/labels.npy for bench/reference/eval_map.py, and times
/// our exact mAP with every item as a query against all the others (its own image excluded), 2 threads.
/// </summary>
public static class EvalBench
{
    private static readonly string[] Known = ["n", "dim", "seed", "classes", "noise", "repeats", "chunk", "folder"];

    public static int Run(CliArguments arguments)
    {
        var options = new BenchOptions("eval", arguments.BenchOptions, Known);
        int n = options.PositiveInt("n", 10_000);
        int dim = options.PositiveInt("dim", 128);
        int seed = options.PositiveInt("seed", 1);
        int classes = options.PositiveInt("classes", 100);
        double noise = options.PositiveDouble("noise", 1.5);
        int repeats = options.PositiveInt("repeats", 3);
        int chunk = options.PositiveInt("chunk", 1024);
        string folder = options.Text("folder", Path.Combine("bench", "out", $"eval-{n}"));
        torch.set_num_threads(2);

        var (features, labels) = SeededFeatures(n, dim, classes, noise, seed);
        Directory.CreateDirectory(folder);
        NpyFile.WriteFloat32(Path.Combine(folder, "features.npy"), features, n, dim);
        NpyFile.WriteInt64(Path.Combine(folder, "labels.npy"), labels);

        using var featureTensor = tensor(features, [n, dim]);
        using var labelTensor = tensor(labels);
        var evaluator = new RetrievalEvaluator(new RetrievalEvaluatorOptions { QueryChunkSize = chunk });
        var seconds = new List<double>();
        RetrievalMetrics? metrics = null;
        for (int i = 0; i < repeats; i++)
        {
            var clock = Stopwatch.StartNew();
            metrics = evaluator.Evaluate(featureTensor, labelTensor, featureTensor, labelTensor, excludeSelf: true);
            seconds.Add(clock.Elapsed.TotalSeconds);
        }

        System.Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT impl=compatlab n={n} dim={dim} classes={classes} chunk={chunk} repeats={repeats} seconds_min={seconds.Min():F4} seconds_median={Median(seconds):F4} map={metrics!.Map:R} scored={metrics.ScoredQueryCount}"));
        return 0;
    }

    /// <summary>Features x = normalise(centre[label] + noise * N(0, 1)) with uniform labels, all from one seed.</summary>
    public static (float[] Features, long[] Labels) SeededFeatures(int n, int dim, int classes, double noise, int seed)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator((ulong)seed);
        var centres = randn(classes, dim, generator: generator);
        var labels = randint(0, classes, n, dtype: ScalarType.Int64, generator: generator);
        var features = centres.index_select(0, labels).add_(randn(n, dim, generator: generator), noise);
        features = nn.functional.normalize(features, p: 2, dim: 1).contiguous();
        return (features.data<float>().ToArray(), labels.data<long>().ToArray());
    }

    internal static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
