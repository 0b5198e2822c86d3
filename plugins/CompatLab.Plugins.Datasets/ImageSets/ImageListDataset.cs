using CompatLab.Abstractions.Data;
using CompatLab.Abstractions.Plugins;
using CompatLab.Plugins.Datasets.Images;

namespace CompatLab.Plugins.Datasets.ImageSets;

[CompatLabPlugin(
    PluginKind.Dataset,
    PluginName,
    Description = "Images named in a CSV or TSV list with labels and optional train/query/gallery roles, decoded on demand.",
    Options = typeof(ImageListDatasetOptions))]
public sealed class ImageListDataset : IDatasetProvider
{
    public const string PluginName = "image-list";

    private readonly ImageListDatasetOptions options;

    public ImageListDataset(ImageListDatasetOptions options)
    {
        this.options = ImageDatasetOptions.Checked(options, PluginName);
    }

    public DatasetBundle Load(DatasetLoadContext context)
    {
        string list = Path.GetFullPath(options.List);
        var index = ImageListIndex.Read(list, options.ToListOptions());
        bool byRole = index.Samples.Any(s => s.Role is not null);
        return new ImageBundleBuilder(PluginName, options, Path.GetDirectoryName(list)!, list).Build(index, context, byRole);
    }
}
