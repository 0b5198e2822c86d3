using System.Diagnostics;
using System.Globalization;
using CompatLab.Engine.Configuration;
using CompatLab.Engine.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace CompatLab.Bench;

/// <summary>
/// <c>compatlab bench search [--queries 10000] [--gallery 1000000] [--dim 512] [--k 100] [--chunk 1000] [--device cuda]</c>
/// (hidden; bench/gpu/run.sh): exact top-k retrieval by inner product, the gallery on the device, queries in chunks
/// (one matmul and one topk each), timed after one warm-up pass; torch_steps.py --search does the same in PyTorch.
/// </summary>
public static class SearchBench
{
    private static readonly string[] Known = ["queries", "gallery", "dim", "k", "chunk", "seed"];

    public static int Run(CliArguments arguments)
    {
        var options = new BenchOptions("search", arguments.BenchOptions, Known);
        string deviceName = arguments.Device ?? "cuda";
        RuntimeSetup.Prepare(deviceName, new RuntimeSpec { Deterministic = false });
        var device = torch.device(deviceName);
        int queries = options.PositiveInt("queries", 10000);
        int gallerySize = options.PositiveInt("gallery", 1000000);
        int dim = options.PositiveInt("dim", 512);
        int k = options.PositiveInt("k", 100);
        int chunk = options.PositiveInt("chunk", 1000);
        using var generator = new Generator((ulong)options.PositiveInt("seed", 1));
        using var gallery = nn.functional.normalize(randn(new long[] { gallerySize, dim }, generator: generator)).to(device);
        using var query = nn.functional.normalize(randn(new long[] { queries, dim }, generator: generator)).to(device);
        long checksum = Search(query, gallery, k, chunk, device);
        var clock = Stopwatch.StartNew();
        checksum = Search(query, gallery, k, chunk, device);
        double seconds = clock.Elapsed.TotalSeconds;
        System.Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT impl=torchsharp search device={deviceName} queries={queries} gallery={gallerySize} dim={dim} k={k} chunk={chunk} seconds={seconds:F4} top1_checksum={checksum}"));
        return 0;
    }

    /// <summary>Top-k of every query; returns the sum of the top-1 indices, read once at the end (one host sync).</summary>
    public static long Search(Tensor queries, Tensor gallery, int k, int chunk, Device device)
    {
        using var total = zeros(1, dtype: ScalarType.Int64, device: device);
        for (long start = 0; start < queries.shape[0]; start += chunk)
        {
            using var scope = NewDisposeScope();
            long count = Math.Min(chunk, queries.shape[0] - start);
            var scores = queries.narrow(0, start, count).matmul(gallery.t());
            var (_, indices) = scores.topk(k, dim: 1);
            total.add_(indices.select(1, 0).sum());
        }

        return total.item<long>();
    }
}
