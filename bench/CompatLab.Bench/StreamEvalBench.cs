using System.Diagnostics;
using System.Globalization;
using CompatLab.Abstractions;
using CompatLab.Engine.Evaluation;
using TorchSharp;
using static TorchSharp.torch;

namespace CompatLab.Bench;

/// <summary>
/// <c>compatlab bench stream-eval [--gallery G] [--queries Q] [--dim D] [--k K] [--classes C] [--noise X] [--seed S]
/// [--chunk N] [--query-chunk M] [--precision float16|float32] [--folder DIR]</c> (not in the help): writes G seeded
/// synthetic gallery embeddings to DIR/gallery.emb in chunks of N, then searches Q queries for their exact top-K
/// with <see cref="StreamedRetrievalEvaluator"/> (2 threads), printing both times and the process's peak RSS.
/// The gallery is never in memory as a whole, on either side; the file is deleted afterwards.
/// </summary>
public static class StreamEvalBench
{
    private static readonly string[] Known =
        ["gallery", "queries", "dim", "k", "classes", "noise", "seed", "chunk", "query-chunk", "precision", "folder"];

    public static int Run(CliArguments arguments)
    {
        var options = new BenchOptions("stream-eval", arguments.BenchOptions, Known);
        var shape = new SyntheticEmbeddings(
            options.PositiveInt("dim", 128),
            options.PositiveInt("classes", 1000),
            options.PositiveDouble("noise", 1.5),
            options.PositiveInt("seed", 1));
        int galleryCount = options.PositiveInt("gallery", 1_000_000);
        int queryCount = options.PositiveInt("queries", 10_000);
        int k = options.PositiveInt("k", 100);
        int chunk = options.PositiveInt("chunk", 16_384);
        int queryChunk = options.PositiveInt("query-chunk", 1024);
        ScalarType precision = options.Text("precision", "float16") switch
        {
            "float16" => ScalarType.Float16,
            "float32" => ScalarType.Float32,
            string other => throw new CompatLabUserException($"bench stream-eval: --precision must be float16 or float32, got '{other}'"),
        };
        string folder = options.Text("folder", Path.Combine("bench", "out", "stream-eval"));
        torch.set_num_threads(2);

        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, "gallery.emb");
        var clock = Stopwatch.StartNew();
        using (var writer = new EmbeddingChunkWriter(path, shape.Dimension, precision))
        {
            for (long start = 0; start < galleryCount; start += chunk)
            {
                using var scope = NewDisposeScope();
                var (features, labels) = shape.Chunk(stream: 1 + (start / chunk), (int)Math.Min(chunk, galleryCount - start));
                writer.Append(features, labels);
            }
        }

        double writeSeconds = clock.Elapsed.TotalSeconds;
        long fileBytes = new FileInfo(path).Length;
        clock.Restart();
        RetrievalMetrics metrics;
        using (var scope = NewDisposeScope())
        {
            var (queries, queryLabels) = shape.Chunk(stream: 0, queryCount);
            var evaluator = new StreamedRetrievalEvaluator(
                new RetrievalEvaluatorOptions { QueryChunkSize = queryChunk, MapAtK = k, RecallAtK = [1, 5, 10] });
            metrics = evaluator.Evaluate(queries, queryLabels, EmbeddingChunkReader.Open(path), excludeSelf: false);
        }

        double searchSeconds = clock.Elapsed.TotalSeconds;
        File.Delete(path);
        System.Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT impl=compatlab-streamed gallery={galleryCount} queries={queryCount} dim={shape.Dimension} k={k} precision={precision} chunk={chunk} query_chunk={queryChunk} file_mb={fileBytes / 1e6:F1} write_seconds={writeSeconds:F1} search_seconds={searchSeconds:F1} peak_rss_mb={PeakRssMegabytes():F0} map_at_k={metrics.MapAtK:F6} recall_at_1={metrics.RecallAtK[1]:F6} scored={metrics.ScoredQueryCount}"));
        return 0;
    }

    /// <summary>The process's resident high-water mark (VmHWM in /proc/self/status), in MB; NaN where there is none.</summary>
    internal static double PeakRssMegabytes()
    {
        const string Key = "VmHWM:";
        string? line = File.Exists("/proc/self/status")
            ? File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith(Key, StringComparison.Ordinal))
            : null;
        string[] parts = line?[Key.Length..].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries) ?? [];
        return parts.Length == 2 && parts[1] == "kB" && long.TryParse(parts[0], CultureInfo.InvariantCulture, out long kilobytes)
            ? kilobytes / 1024.0
            : double.NaN;
    }

    /// <summary>
    /// Features normalise(centre[label] + noise * N(0, 1)) around class centres drawn from the seed; each chunk
    /// draws from its own stream (0: the queries), so no chunk depends on how many came before it.
    /// </summary>
    private sealed record SyntheticEmbeddings(int Dimension, int Classes, double Noise, int Seed)
    {
        public (Tensor Features, Tensor Labels) Chunk(long stream, int count)
        {
            using var centreGenerator = new Generator((ulong)Seed);
            Tensor centres = randn(Classes, Dimension, generator: centreGenerator);
            using var generator = new Generator(((ulong)Seed * 1_000_003UL) + (ulong)stream);
            Tensor labels = randint(0, Classes, count, dtype: ScalarType.Int64, generator: generator);
            Tensor features = centres.index_select(0, labels).add_(randn(count, Dimension, generator: generator), Noise);
            return (nn.functional.normalize(features, p: 2, dim: 1), labels);
        }
    }
}
