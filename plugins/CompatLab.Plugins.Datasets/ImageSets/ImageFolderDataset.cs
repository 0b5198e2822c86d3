using CompatLab.Abstractions.Data;
using CompatLab.Abstractions.Plugins;
using CompatLab.Plugins.Datasets.Images;

namespace CompatLab.Plugins.Datasets.ImageSets;

[CompatLabPlugin(
    PluginKind.Dataset,
    PluginName,
    Description = "Images in one sub-folder per class (torchvision ImageFolder), decoded on demand; a seeded per-class train/test split.",
    Options = typeof(ImageFolderOptions))]
public sealed class ImageFolderDataset : IDatasetProvider
{
    public const string PluginName = "image-folder";

    private readonly ImageFolderOptions options;

    public ImageFolderDataset(ImageFolderOptions options)
    {
        this.options = ImageDatasetOptions.Checked(options, PluginName);
    }

    public DatasetBundle Load(DatasetLoadContext context)
    {
        string root = Path.GetFullPath(options.Root);
        var index = ImageFolderIndex.Build(root);
        return new ImageBundleBuilder(PluginName, options, root, listPath: null).Build(index, context, byRole: false);
    }
}
