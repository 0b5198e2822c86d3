using CompatLab.Abstractions.Data;
using CompatLab.Abstractions.Plugins;
using CompatLab.Sdk.Options;

namespace CompatLab.Plugins.Datasets.Idx;

[CompatLabPlugin(
    PluginKind.Dataset,
    PluginName,
    Description = "Any MNIST-style IDX pair of images and labels (unsigned byte, gzipped or raw).",
    Options = typeof(IdxDatasetOptions))]
public sealed class IdxDataset : IDatasetProvider
{
    public const string PluginName = "idx";

    private readonly IdxDatasetOptions options;

    public IdxDataset(IdxDatasetOptions options)
    {
        OptionsGuard.Checked(options, "dataset", PluginName);
        this.options = options;
    }

    public DatasetBundle Load(DatasetLoadContext context)
    {
        var sources = new IdxSources(
            options.TrainImages, options.TrainLabels, options.TestImages, options.TestLabels, MissingFileHint: string.Empty);
        if (options.ClassNames.Count == 0)
        {
            return IdxDatasetLoader.Load(PluginName, sources, null, "numbered from the labels", options, context);
        }

        string classNamesSource = $"the {options.ClassNames.Count} classes in classNames";
        return IdxDatasetLoader.Load(PluginName, sources, options.ClassNames.ToArray(), classNamesSource, options, context);
    }
}
