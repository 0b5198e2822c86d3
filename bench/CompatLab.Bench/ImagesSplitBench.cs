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
/// through the steps <c>ImageSampleSet.Load</c> takes (the plugin's own code, <see cref="DatasetPluginCode"/>): decode (our Skia
/// decoder, shrink target 224 as the plugin sets it), uint8 to float [3, H, W] (<c>PixelTensors.ToFloat</c>),
/// random-resized crop to 224, flip and normalisation, and the copy into the batch array; each step timed
/// separately. The same steps then run from a cache-sized square (the cache-hit path without the memory map), and,
/// for comparison, a variant that crops the window out of the uint8 pixels before converting to float.
/// </summary>
public static class ImagesSplitBench
{
    private static readonly string[] Known = ["list", "images", "cache-side"];
    private static readonly string[] Steps = ["decode", "to_float", "crop_resize", "flip_normalize", "copy_out"];

    /// <summary>Not part of the total: the same copy as copy_out with one memory copy instead of the plugin's element-wise <c>data&lt;float&gt;().CopyTo</c>.</summary>
    private const string BulkCopy = "copy_out_bulk";

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

        Print("decode", Time(plugin, files.Length, i => plugin.Decode(files[i], 224), cropFirst: false));
        Print("cache-square", Time(plugin, files.Length, i => squares[i], cropFirst: false));
        Print("decode-crop-uint8-first", Time(plugin, files.Length, i => plugin.Decode(files[i], 224), cropFirst: true));
        return 0;
    }

    private static void Print(string path, double[] seconds)
    {
        int count = (int)seconds[^1];
        double total = seconds.Take(Steps.Length).Sum();
        var fields = Steps.Append(BulkCopy).Select((s, i) => string.Create(CultureInfo.InvariantCulture, $"{s}_ms={seconds[i] * 1000 / count:F3}"));
        System.Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT impl=compatlab-split path={path} images={count} {string.Join(' ', fields)} total_ms={total * 1000 / count:F3} images_per_second_per_thread={count / total:F1}"));
    }

    /// <summary>Seconds spent in each step over all images (the last element is the image count).</summary>
    private static double[] Time(DatasetPluginCode plugin, int count, Func<int, object> image, bool cropFirst)
    {
        var crop = plugin.Step("RandomResizedCrop", 224, new[] { 0.08, 1.0 }, new[] { 3.0 / 4.0, 4.0 / 3.0 });
        var window = plugin.CropWindow(224);
        var flip = plugin.Step("HorizontalFlip", 0.5);
        var normalize = plugin.Step("Normalize", new[] { 0.485, 0.456, 0.406 }, new[] { 0.229, 0.224, 0.225 });
        var seconds = new double[Steps.Length + 2]; // the steps, the bulk copy, the count
        var output = new float[3 * 224 * 224];
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
            Tensor resized;
            if (cropFirst)
            {
                // Only the crop window is converted to float: the variant the split compares the plugin's order with.
                var (width, height, pixels) = plugin.Parts(decoded);
                var (top, left, h, w) = window(height, width, random);
                var asFloat = tensor(pixels, [height, width, 3]).narrow(0, top, h).narrow(1, left, w).permute(2, 0, 1).to(ScalarType.Float32).div_(255);
                seconds[1] += Lap();
                resized = plugin.Resize(asFloat, 224).contiguous();
            }
            else
            {
                var asFloat = plugin.ToFloat(decoded);
                seconds[1] += Lap();
                resized = crop(asFloat, random);
            }

            seconds[2] += Lap();
            var sample = normalize(flip(resized, random), random);
            seconds[3] += Lap();
            var packed = sample.contiguous();
            packed.data<float>().CopyTo(output, 0);
            seconds[4] += Lap();
            System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(packed.bytes).CopyTo(output);
            seconds[5] += Lap();
        }

        seconds[^1] = count;
        return seconds;
    }
}
