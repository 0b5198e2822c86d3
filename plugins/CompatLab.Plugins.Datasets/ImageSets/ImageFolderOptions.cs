using System.ComponentModel;

namespace CompatLab.Plugins.Datasets.ImageSets;

public sealed class ImageFolderOptions : ImageDatasetOptions
{
    [Description("Folder with one sub-folder of images per class (torchvision ImageFolder layout).")]
    public string Root { get; set; } = string.Empty;

    public override IEnumerable<string> Validate() =>
        string.IsNullOrWhiteSpace(Root)
            ? base.Validate().Append("root must name the image folder (one sub-folder per class).")
            : base.Validate();
}
