using System.ComponentModel;
using CompatLab.Plugins.Datasets.Idx;

namespace CompatLab.Plugins.Datasets.FashionMnist;

public sealed class FashionMnistOptions : IdxLoadOptions
{
    /// <summary>Where Debian's dataset-fashion-mnist package installs the files.</summary>
    public const string DefaultRoot = "/usr/share/datasets/fashion-mnist";

    // The training set's own pixel mean and standard deviation, so normalised images are about N(0, 1).
    public FashionMnistOptions()
        : base(mean: 0.2860, std: 0.3530)
    {
    }

    [Description("Folder holding the four IDX files.")]
    public string Root { get; set; } = DefaultRoot;

    [Description("Training images file name in root (the name with or without .gz is also tried).")]
    public string TrainImages { get; set; } = "train-images-idx3-ubyte.gz";

    [Description("Training labels file name in root.")]
    public string TrainLabels { get; set; } = "train-labels-idx1-ubyte.gz";

    [Description("Test images file name in root.")]
    public string TestImages { get; set; } = "t10k-images-idx3-ubyte.gz";

    [Description("Test labels file name in root.")]
    public string TestLabels { get; set; } = "t10k-labels-idx1-ubyte.gz";

    public override IEnumerable<string> Validate() =>
        base.Validate().Concat(RequireNonEmpty(
            ("root", Root, "the folder holding the Fashion-MNIST files"),
            ("trainImages", TrainImages, "the training images file name"),
            ("trainLabels", TrainLabels, "the training labels file name"),
            ("testImages", TestImages, "the test images file name"),
            ("testLabels", TestLabels, "the test labels file name")));
}
