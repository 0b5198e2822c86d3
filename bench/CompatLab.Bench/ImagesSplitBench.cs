using System.Diagnostics;
using System.Globalization;
using CompatLab.Abstractions;
using CompatLab.Engine.Plugins;
using TorchSharp;
using static TorchSharp.torch;

namespace CompatLab.Bench;

/// <summary>
/// <c>compatlab bench images-split --list LIST [--images 300] [--cache-side 256]</c> (not in the help;
/// bench/images.sh runs it): where one decode worker's time goes, one thread, one torch thread. Each image goes
/// through the steps <c>ImageSampleSet.Load</c> takes (the plugin's own code, <see cref="DatasetPluginCode"/>): decode (the
/// plugin's decoder as configured by default, shrink target 224 as the plugin sets it), the random-resized-crop window
/// of the uint8 pixels resized to 224 and flipped by the same pass when the flip's draw says so
/// (<c>PixelTensors.Resample</c>, as the pipeline does it), and the conversion and normalisation of those bytes
/// written into the sample's slot of the batch tensor (<c>Normalize.FromBytes</c>); each step timed separately. The
/// same steps then run from a cache-sized square (the cache-hit path without the cache file's read). Each path runs
/// twice over the same windows and the second pass is the result: the first builds the resampler's plan for each
/// window size (printed as a comment line).
/// </summary>
public static class ImagesSplitBench
{
    private static readonly string[] Known = ["list", "images", "cache-side"];
    private static readonly string[] Steps = ["decode", "crop_resize_flip", "normalize"];

    public static int Run(CliArguments arguments)
    {
        var options = new BenchOptions("images-split", arguments.BenchOptions, Known);
        string list = options.Text("list", string.Empty);
        if (list.Length == 0 || !File.Exists(list))
        {
            throw new CompatLabUserException($"bench images-split: --list must name an image list, got '{list}'");
        }

        string folder = Path.GetDirectoryName(Path.GetFullPath(list))!;
        string[] files = File.ReadLines(list).Skip(1).Select(line => Path.Combine(folder, line.Split(',')[0]))
            .Take(options.PositiveInt("images", 300)).ToArray();
        int cacheSide = options.PositiveInt("cache-side", 256);
        torch.set_num_threads(1);

        using var catalog = PluginCatalog.Load(new[] { PluginCatalog.DefaultDirectory }.Concat(arguments.PluginDirectories));
        var plugin = new DatasetPluginCode(catalog);
        var decoded = files.Select(f => plugin.Decode(f, 224)).ToArray(); // warm-up, and the inputs of the later passes
        object[] squares;
        using (var scope = NewDisposeScope())
        {
            squares = decoded.Select(d => plugin.CentreSquare(d, cacheSide)).ToArray();
        }

        // Each path runs twice over the same windows: the first pass builds the resampler's weight plans for every
        // window size it meets (a run does so once per size, in its first batches), the second is timed as the
        // steady state; the first is printed as a comment line for the record.
        foreach (var (path, image) in new (string, Func<int, object>)[] { ("decode", i => plugin.Decode(files[i], 224)), ("cache-square", i => squares[i]) })
        {
            Print(path, Time(plugin, files.Length, image), "# first pass (window sizes new to the resampler): ");
            Print(path, Time(plugin, files.Length, image), "RESULT ");
        }

        return 0;
    }

    private static void Print(string path, double[] seconds, string prefix)
    {
        int count = (int)seconds[^1];
        double total = seconds.Take(Steps.Length).Sum();
        var fields = Steps.Select((s, i) => string.Create(CultureInfo.InvariantCulture, $"{s}_ms={seconds[i] * 1000 / count:F3}"));
        System.Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{prefix}impl=compatlab-split path={path} images={count} {string.Join(' ', fields)} total_ms={total * 1000 / count:F3} images_per_second_per_thread={count / total:F1}"));
    }

    /// <summary>Seconds spent in each step over all images (the last element is the image count).</summary>
    private static double[] Time(DatasetPluginCode plugin, int count, Func<int, object> image)
    {
        var window = plugin.CropWindow(224);
        var flip = plugin.FlipDraw(0.5);
        var normalize = plugin.NormalizeBytes([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]);
        var seconds = new double[Steps.Length + 1]; // the steps, the count
        using var batch = empty([64, 3, 224, 224], ScalarType.Float32);
        var clock = new Stopwatch();
        double Lap()
        {
            double elapsed = clock.Elapsed.TotalSeconds;
            clock.Restart();
            return elapsed;
        }

        for (int i = 0; i < count; i++)
        {
            using var scope = NewDisposeScope();
            object random = plugin.Random(1, 0, i);
            clock.Restart();
            object decoded = image(i);
            seconds[0] += Lap();
            var (width, height, _) = plugin.Parts(decoded);
            var crop = window(height, width, random);
            var resized = plugin.Resample(decoded, crop, 224, flip(random));
            seconds[1] += Lap();
            normalize(resized, batch[i % 64]);
            seconds[2] += Lap();
        }

        seconds[^1] = count;
        return seconds;
    }
}
