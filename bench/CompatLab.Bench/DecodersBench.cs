using System.Diagnostics;
using System.Globalization;
using CompatLab.Abstractions;
using CompatLab.Engine.Plugins;
using NetVips;
using VipsImage = NetVips.Image;

namespace CompatLab.Bench;

/// <summary>
/// <c>compatlab bench decoders --list LIST [--images 300] [--rounds 2]</c> (not in the help; bench/images.sh runs
/// it): one thread decoding the same JPEG files to 8-bit RGB with the datasets plugin's own ImageDecoder (as the
/// catalog loads it) set to Skia and to TurboJPEG (libturbojpeg, where installed), and with libvips (NetVips, kept to this project), at full size and with
/// shrink-on-load at JPEG scale 1/2 (a 500x375 tile decodes at 250x188, the scale nearest 224); plus libvips'
/// thumbnail to a short side of exactly 224 (shrink-on-load, then a resize). Files come from the page cache after
/// a warm-up pass; every combination runs once per round, the order reversed in every other round.
/// </summary>
public static class DecodersBench
{
    private static readonly string[] Known = ["list", "images", "rounds"];

    public static int Run(CliArguments arguments)
    {
        var options = new BenchOptions("decoders", arguments.BenchOptions, Known);
        string list = options.Text("list", string.Empty);
        if (list.Length == 0 || !File.Exists(list))
        {
            throw new CompatLabUserException($"bench decoders: --list must name an image list (bench/images/make-corpus.sh writes one), got '{list}'");
        }

        string folder = Path.GetDirectoryName(Path.GetFullPath(list))!;
        string[] files = File.ReadLines(list).Skip(1).Select(line => Path.Combine(folder, line.Split(',')[0]))
            .Take(options.PositiveInt("images", 300)).ToArray();
        int rounds = options.PositiveInt("rounds", 2);

        using var catalog = PluginCatalog.Load(new[] { PluginCatalog.DefaultDirectory }.Concat(arguments.PluginDirectories));
        var plugin = new DatasetPluginCode(catalog);
        var decoders = new List<(string Name, Func<string, long> Decode)>();
        foreach (var (kind, label) in new[] { ("Skia", "skia"), ("TurboJpeg", "turbojpeg") })
        {
            if (plugin.Decoder(kind) is { } decode)
            {
                decoders.Add(($"{label} full", path => plugin.Parts(decode(path, null)).Pixels.Length));
                // The plugin's rule: the smallest JPEG scale whose short side still reaches the target; 188 picks 1/2 for a 500x375 tile.
                decoders.Add(($"{label} shrink 1/2", path => plugin.Parts(decode(path, 188)).Pixels.Length));
            }
        }

        decoders.Add(("skia codec only, full (RGBA)", SkiaCodecOnly));
        string vipsVersion = TryNetVips(decoders);
        System.Console.WriteLine($"decoders: {files.Length} files, {rounds} rounds, 1 thread; SkiaSharp {plugin.SkiaVersion}; {vipsVersion}; the plugin's default JPEG decoder: {plugin.JpegLibrary}");

        foreach (var (_, decode) in decoders)
        {
            Array.ForEach(files, f => decode(f)); // warm-up: page cache, code paths
        }

        var rates = decoders.ToDictionary(d => d.Name, _ => new List<double>());
        for (int round = 0; round < rounds; round++)
        {
            var order = round % 2 == 0 ? decoders : Enumerable.Reverse(decoders).ToList();
            foreach (var (name, decode) in order)
            {
                var clock = Stopwatch.StartNew();
                long bytes = files.Sum(decode);
                rates[name].Add(files.Length / clock.Elapsed.TotalSeconds);
                GC.KeepAlive(bytes);
            }
        }

        foreach (var (name, measured) in rates)
        {
            System.Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"RESULT impl=decoder decoder=\"{name}\" images={files.Length} images_per_second_per_thread={measured.Max():F1} rounds=\"{string.Join(' ', measured.Select(r => r.ToString("F1", CultureInfo.InvariantCulture)))}\""));
        }

        ComparePixels(plugin, files);
        return 0;
    }

    /// <summary>How far TurboJPEG's pixels are from Skia's on these files, at full size and at scale 1/2 (a "#" line).</summary>
    private static void ComparePixels(DatasetPluginCode plugin, string[] files)
    {
        if (plugin.Decoder("Skia") is not { } skia || plugin.Decoder("TurboJpeg") is not { } turbo)
        {
            return;
        }

        foreach (int? target in new int?[] { null, 188 })
        {
            long differing = 0, total = 0, sum = 0, max = 0, same = 0;
            foreach (string file in files)
            {
                byte[] a = plugin.Rgb(skia(file, target));
                byte[] b = plugin.Rgb(turbo(file, target));
                int[] diffs = a.Zip(b, (x, y) => Math.Abs(x - y)).ToArray();
                (differing, total, sum, max) = (differing + diffs.Count(d => d != 0), total + diffs.Length, sum + diffs.Sum(), Math.Max(max, diffs.Max()));
                same += a.Length == b.Length && diffs.All(d => d == 0) ? 1 : 0;
            }

            System.Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"# turbojpeg vs skia, {(target is null ? "full size" : "scale 1/2")}: {same}/{files.Length} images identical, {100.0 * differing / total:F2}% of values differ, mean abs difference {(double)sum / total:F4}, max {max}"));
        }
    }

    /// <summary>Adds the libvips decoders when libvips loads (one thread, no operation cache); says which version, or why not.</summary>
    private static string TryNetVips(List<(string Name, Func<string, long> Decode)> decoders)
    {
        try
        {
            if (!ModuleInitializer.VipsInitialized)
            {
                return $"NetVips: libvips did not load ({ModuleInitializer.Exception?.Message ?? "unknown reason"})";
            }

            NetVips.NetVips.Concurrency = 1;
            Cache.Max = 0; // the same files are decoded every round: libvips must not answer from its cache
            decoders.Add(("netvips full", path => Pixels(VipsImage.NewFromFile(path, access: Enums.Access.Sequential))));
            decoders.Add(("netvips shrink 1/2", path => Pixels(VipsImage.Jpegload(path, shrink: 2, access: Enums.Access.Sequential))));
            decoders.Add(("netvips thumbnail 224", path => Pixels(VipsImage.Thumbnail(path, 4096, height: 224, size: Enums.Size.Down))));
            return $"NetVips {typeof(VipsImage).Assembly.GetName().Version}, libvips {NetVips.NetVips.Version(0)}.{NetVips.NetVips.Version(1)}.{NetVips.NetVips.Version(2)}";
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or VipsException)
        {
            return $"NetVips: libvips did not load ({e.Message})";
        }
    }

    /// <summary>Skia's JPEG decoding alone: the file read, the codec, RGBA pixels; what the plugin adds is the RGB conversion.</summary>
    private static long SkiaCodecOnly(string path)
    {
        using var codec = SkiaSharp.SKCodec.Create(new SkiaSharp.SKMemoryStream(File.ReadAllBytes(path)));
        var info = new SkiaSharp.SKImageInfo(codec.Info.Width, codec.Info.Height, SkiaSharp.SKColorType.Rgba8888, SkiaSharp.SKAlphaType.Unpremul);
        var rgba = new byte[info.BytesSize];
        var handle = System.Runtime.InteropServices.GCHandle.Alloc(rgba, System.Runtime.InteropServices.GCHandleType.Pinned);
        try
        {
            return codec.GetPixels(info, handle.AddrOfPinnedObject()) == SkiaSharp.SKCodecResult.Success ? rgba.Length : 0;
        }
        finally
        {
            handle.Free();
        }
    }

    private static long Pixels(VipsImage image)
    {
        using (image)
        {
            return image.WriteToMemory<byte>().Length;
        }
    }
}
