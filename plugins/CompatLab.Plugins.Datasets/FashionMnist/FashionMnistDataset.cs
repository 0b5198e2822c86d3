using CompatLab.Abstractions.Data;
using CompatLab.Abstractions.Plugins;
using CompatLab.Plugins.Datasets.Idx;
using CompatLab.Sdk.Options;

namespace CompatLab.Plugins.Datasets.FashionMnist;

[CompatLabPlugin(
    PluginKind.Dataset,
    PluginName,
    Description = "Fashion-MNIST: 60,000 training and 10,000 test 28x28 grey images of 10 clothing classes.",
    Options = typeof(FashionMnistOptions))]
public sealed class FashionMnistDataset : IDatasetProvider
{
    public const string PluginName = "fashion-mnist";

    private static readonly string[] ClassNames =
    [
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
    ];

    private readonly FashionMnistOptions options;

    public FashionMnistDataset(FashionMnistOptions options)
    {
        OptionsGuard.Checked(options, "dataset", PluginName);
        this.options = options;
    }

    public DatasetBundle Load(DatasetLoadContext context)
    {
        var sources = new IdxSources(
            Path.Combine(options.Root, options.TrainImages),
            Path.Combine(options.Root, options.TrainLabels),
            Path.Combine(options.Root, options.TestImages),
            Path.Combine(options.Root, options.TestLabels),
            MissingFileHint());
        return IdxDatasetLoader.Load(PluginName, sources, ClassNames, "the 10 Fashion-MNIST classes", options, context);
    }

    private string MissingFileHint()
    {
        bool isDefaultRoot = Path.GetFullPath(options.Root).TrimEnd('/') == FashionMnistOptions.DefaultRoot;
        return isDefaultRoot
            ? $"Fashion-MNIST is expected in {FashionMnistOptions.DefaultRoot}: `apt-get install dataset-fashion-mnist` provides it."
            : string.Empty;
    }
}
