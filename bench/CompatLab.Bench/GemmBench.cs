using System.Diagnostics;
using System.Globalization;
using CompatLab.Engine.Configuration;
using CompatLab.Engine.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace CompatLab.Bench;

/// <summary>
/// <c>compatlab bench gemm [--size 2048] [--reps 20] [--threads 0] [--device cpu]</c> (hidden; bench/cpu-step.sh):
/// the float32 rate of one large square matrix product, the best of <c>--reps</c> after one warm-up. It stands in
/// for the machine's attainable peak, which an assumed FLOPs-per-cycle figure gets wrong on CPUs whose vector
/// units differ (Zen 5 executes 512-bit FMAs at full width, Zen 4 in two halves).
/// </summary>
public static class GemmBench
{
    private static readonly string[] Known = ["size", "reps", "threads", "seed"];

    public static int Run(CliArguments arguments)
    {
        var options = new BenchOptions("gemm", arguments.BenchOptions, Known);
        string deviceName = arguments.Device ?? "cpu";
        RuntimeSetup.Prepare(deviceName, new RuntimeSpec { Deterministic = false });
        int threads = options.PositiveInt("threads", Environment.ProcessorCount);
        torch.set_num_threads(threads);
        var device = torch.device(deviceName);
        int size = options.PositiveInt("size", 2048);
        int reps = options.PositiveInt("reps", 20);
        using var generator = new Generator((ulong)options.PositiveInt("seed", 1));
        using var a = randn(new long[] { size, size }, generator: generator).to(device);
        using var b = randn(new long[] { size, size }, generator: generator).to(device);
        var seconds = new List<double>();
        for (int rep = 0; rep <= reps; rep++)
        {
            using var scope = NewDisposeScope();
            var clock = Stopwatch.StartNew();
            _ = a.matmul(b).sum().item<float>(); // reading one number waits for the product on any device
            if (rep > 0)
            {
                seconds.Add(clock.Elapsed.TotalSeconds);
            }
        }

        double flops = 2.0 * size * size * size;
        seconds.Sort();
        System.Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT impl=torchsharp gemm device={deviceName} size={size} reps={reps} threads={threads} best_seconds={seconds[0]:F5} gflops_best={flops / seconds[0] / 1e9:F1} gflops_median={flops / seconds[seconds.Count / 2] / 1e9:F1}"));
        return 0;
    }
}
