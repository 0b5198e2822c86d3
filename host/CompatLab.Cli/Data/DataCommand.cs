using System.Globalization;
using CompatLab.Abstractions;
using CompatLab.Abstractions.Data;
using CompatLab.Abstractions.Plugins;
using CompatLab.Engine.Configuration;
using CompatLab.Engine.Plugins;
using Microsoft.Extensions.Configuration;

namespace CompatLab.Cli.Data;

/// <summary>
/// <c>compatlab data export-images --dataset fashion-mnist --out DIR [--limit-per-class N] [--open-set-fraction F]
/// [--seed S] [--root DIR]</c>: writes a dataset that the dataset plugins read from IDX files as an image folder
/// and an image list with an open-set split, so the image path can be tried on data every machine has.
/// </summary>
public static class DataCommand
{
    private static readonly string[] Known = ["dataset", "out", "limit-per-class", "open-set-fraction", "seed", "root"];

    public static int Run(CliArguments arguments)
    {
        string subcommand = arguments.Words.ElementAtOrDefault(1) ?? string.Empty;
        if (subcommand != "export-images")
        {
            throw new CompatLabUserException($"unknown command 'data {subcommand}'; 'compatlab data' has: export-images (see 'compatlab --help')");
        }

        var options = new BenchOptions("data export-images", arguments.BenchOptions, Known);
        string dataset = options.Text("dataset", string.Empty);
        var datasets = CliDefaults.Current.DataExportImages.Datasets;
        if (!datasets.Contains(dataset))
        {
            throw new CompatLabUserException($"data export-images: --dataset must be one of: {string.Join(", ", datasets)}; got '{dataset}'");
        }

        string output = options.Text("out", string.Empty);
        if (output.Length == 0)
        {
            throw new CompatLabUserException("data export-images: --out DIR is required (a new or empty folder)");
        }

        var split = new OpenSetSplit(OpenSetFraction(options), options.PositiveInt("seed", 1));
        int limit = options.PositiveInt("limit-per-class", int.MaxValue);
        using DatasetBundle bundle = LoadRawPixels(dataset, options.Text("root", string.Empty), arguments.PluginDirectories);
        ImageExportSummary summary = new ImageFolderExporter(output, limit).Export(bundle, split);
        System.Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"wrote {summary.Images} PNG images in {bundle.ClassCount} class folders to {Path.Combine(output, ImageFolderExporter.ImagesFolder)} and {summary.Listed} rows to {Path.Combine(output, ImageFolderExporter.ListFile)} (train {summary.Train}, query {summary.Query}, gallery {summary.Gallery}; held-out classes: {string.Join(", ", summary.HeldOutClasses)})"));
        return 0;
    }

    private static double OpenSetFraction(BenchOptions options)
    {
        double fraction = options.PositiveDouble("open-set-fraction", 0.3);
        return fraction < 1
            ? fraction
            : throw new CompatLabUserException($"data export-images: --open-set-fraction must be between 0 and 1 (the share of classes held out of training), got {fraction.ToString(CultureInfo.InvariantCulture)}");
    }

    /// <summary>The dataset plugin's images with identity normalisation (mean 0, std 1): pixel / 255 exactly.</summary>
    private static DatasetBundle LoadRawPixels(string dataset, string root, IEnumerable<string> pluginDirectories)
    {
        var settings = new Dictionary<string, string?> { ["options:mean"] = "0", ["options:std"] = "1" };
        if (root.Length > 0)
        {
            settings["options:root"] = root;
        }

        IConfigurationSection section = new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection("options");
        using var catalog = PluginCatalog.Load(new[] { PluginCatalog.DefaultDirectory }.Concat(pluginDirectories));
        var binder = new ConfigBinder(new ConfigProvenance("data export-images"));
        var factory = new PluginFactory(catalog, binder);
        BoundPlugin? plugin = factory.Bind(PluginKind.Dataset, new PluginRef(dataset) { Options = section }, "dataset");
        binder.ThrowIfProblems();
        return factory.Create<IDatasetProvider>(plugin!).Load(new DatasetLoadContext(Seed: 1));
    }
}
