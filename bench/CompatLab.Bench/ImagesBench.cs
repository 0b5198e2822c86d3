using System.Diagnostics;
using System.Globalization;
using CompatLab.Abstractions;
using CompatLab.Abstractions.Data;
using CompatLab.Abstractions.Plugins;
using CompatLab.Engine.Configuration;
using CompatLab.Engine.Plugins;
using Microsoft.Extensions.Configuration;
using TorchSharp;
using static TorchSharp.torch;

namespace CompatLab.Bench;

/// <summary>
/// <c>compatlab bench images --list LIST [--workers 1] [--batch 64] [--images 2000] [--warmup 2] [--image-size 224]
/// [--cache-side 0] [--cache-folder DIR] [--torch-threads 1] [--seed 1] [--channels-last 0]</c> (not in the help; bench/images.sh runs
/// it): the image-list dataset plugin, loaded through the plugin catalog as a run loads it, and its training set's
/// <see cref="ISampleSet.Load"/> with <c>SamplePass(Augment: true)</c> (decode, random-resized crop, flip,
/// normalisation into float32 batches) over a seeded shuffle, epoch after epoch, until --images are timed. With
/// --cache-side S the decoded cache is on (built first when missing, so a second run times the cache-hit path); with
/// --channels-last 1 the batches are channels-last (transforms.channelsLast).
/// Prints images/s, the dataset's load time and the process's peak RSS.
/// </summary>
public static class ImagesBench
{
    private static readonly string[] Known =
        ["list", "batch", "images", "warmup", "image-size", "cache-side", "cache-folder", "torch-threads", "seed", "channels-last"];

    public static int Run(CliArguments arguments)
    {
        var options = new BenchOptions("images", arguments.BenchOptions, Known);
        string list = options.Text("list", string.Empty);
        if (list.Length == 0 || !File.Exists(list))
        {
            throw new CompatLabUserException($"bench images: --list must name an image list (bench/images/make-corpus.sh writes one), got '{list}'");
        }

        int workers = arguments.Workers; // --workers is the CLI's own option (parsed before the bench options)
        int batch = options.PositiveInt("batch", 64);
        int timedImages = options.PositiveInt("images", 2000);
        int warmup = NonNegative(options, "warmup", 2);
        int imageSize = options.PositiveInt("image-size", 224);
        int cacheSide = NonNegative(options, "cache-side", 0);
        string cacheFolder = options.Text("cache-folder", Path.Combine(Path.GetDirectoryName(Path.GetFullPath(list))!, "cache"));
        int torchThreads = options.PositiveInt("torch-threads", 1);
        int seed = options.PositiveInt("seed", 1);
        bool channelsLast = NonNegative(options, "channels-last", 0) > 0;
        torch.set_num_threads(torchThreads);

        var settings = new Dictionary<string, string?>
        {
            ["options:list"] = list,
            ["options:imageSize"] = Invariant(imageSize),
            ["options:workers"] = Invariant(workers),
            ["options:testFraction"] = "0.05",
            ["options:transforms:channelsLast"] = channelsLast ? "true" : "false",
        };
        if (cacheSide > 0)
        {
            settings["options:cache:shortSide"] = Invariant(cacheSide);
            settings["options:cache:folder"] = cacheFolder;
        }

        // The catalog outlives the dataset: the plugin's code runs in the catalog's load contexts.
        using var catalog = PluginCatalog.Load(new[] { PluginCatalog.DefaultDirectory }.Concat(arguments.PluginDirectories));
        var clock = Stopwatch.StartNew();
        using var dataset = LoadDataset(catalog, settings, seed, workers);
        double loadSeconds = clock.Elapsed.TotalSeconds;
        var train = dataset.TrainSet;
        if (train.Count < batch)
        {
            throw new CompatLabUserException($"bench images: the training set has {train.Count} images, fewer than one batch of {batch}");
        }

        var timing = Time(train, batch, warmup, timedImages, seed);
        System.Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT impl=compatlab path={(cacheSide > 0 ? "cache" : "decode")} workers={workers} torch_threads={torchThreads} batch={batch} image_size={imageSize} cache_side={cacheSide} channels_last={(channelsLast ? 1 : 0)} train_images={train.Count} warmup_batches={warmup} images={timing.Images} seconds={timing.Seconds:F2} images_per_second={timing.Images / timing.Seconds:F1} cpu_seconds={timing.CpuSeconds:F2} gc_pause_seconds={timing.GcPauseSeconds:F2} full_gcs={timing.FullCollections} load_seconds={loadSeconds:F2} peak_rss_mb={StreamEvalBench.PeakRssMegabytes():F0}"));
        return 0;
    }

    private static DatasetBundle LoadDataset(PluginCatalog catalog, Dictionary<string, string?> settings, int seed, int workers)
    {
        var binder = new ConfigBinder(new ConfigProvenance("bench"));
        var factory = new PluginFactory(catalog, binder);
        var section = new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection("options");
        var bound = factory.Bind(PluginKind.Dataset, new PluginRef("image-list") { Options = section }, "bench:dataset");
        binder.ThrowIfProblems();
        return factory.Create<IDatasetProvider>(bound!).Load(new DatasetLoadContext(seed) { DecodeWorkers = workers });
    }

    /// <summary>The timed part: images, wall seconds, processor seconds, and the garbage collector's pauses and full collections in it.</summary>
    private sealed record Timing(long Images, double Seconds, double CpuSeconds, double GcPauseSeconds, int FullCollections);

    /// <summary>Batches of a seeded shuffle, a new shuffle and pass epoch each time the set is used up; the first <paramref name="warmup"/> batches are not timed.</summary>
    private static Timing Time(ISampleSet set, int batch, int warmup, int timedImages, int seed)
    {
        var random = new Random(seed);
        long[] order = [];
        int position = 0;
        int epoch = -1;
        long timed = 0;
        var clock = new Stopwatch();
        var process = Process.GetCurrentProcess();
        TimeSpan cpuBefore = TimeSpan.Zero, pauseBefore = TimeSpan.Zero;
        int fullBefore = 0;
        for (int done = 0; timed < timedImages; done++)
        {
            if (position + batch > order.Length)
            {
                order = Enumerable.Range(0, (int)set.Count).Select(i => (long)i).ToArray();
                random.Shuffle(order);
                (position, epoch) = (0, epoch + 1);
            }

            if (done == warmup)
            {
                process.Refresh();
                (cpuBefore, pauseBefore, fullBefore) = (process.TotalProcessorTime, GC.GetTotalPauseDuration(), GC.CollectionCount(2));
                clock.Start();
            }

            using (var scope = NewDisposeScope())
            {
                var samples = set.Load(order.AsSpan(position, batch), new SamplePass(seed, epoch, Augment: true));
                if (samples.dtype != ScalarType.Float32 || samples.shape[0] != batch)
                {
                    throw new InvalidOperationException($"bench images: expected a float32 batch of {batch}, got {samples.dtype} [{string.Join(", ", samples.shape)}]");
                }
            }

            position += batch;
            timed += done >= warmup ? batch : 0;
        }

        double seconds = clock.Elapsed.TotalSeconds;
        process.Refresh();
        return new Timing(
            timed,
            seconds,
            (process.TotalProcessorTime - cpuBefore).TotalSeconds,
            (GC.GetTotalPauseDuration() - pauseBefore).TotalSeconds,
            GC.CollectionCount(2) - fullBefore);
    }

    private static int NonNegative(BenchOptions options, string name, int fallback)
    {
        string text = options.Text(name, Invariant(fallback));
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value)
            ? value
            : throw new CompatLabUserException($"bench images: --{name} must be a whole number of 0 or more, got '{text}'");
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
