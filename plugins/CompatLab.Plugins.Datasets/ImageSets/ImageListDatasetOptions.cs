using System.ComponentModel;
using CompatLab.Plugins.Datasets.Images;

namespace CompatLab.Plugins.Datasets.ImageSets;

public sealed class ImageListDatasetOptions : ImageDatasetOptions
{
    [Description("The CSV or TSV list (relative image paths are resolved against its folder; a relative list path against the working folder).")]
    public string List { get; set; } = string.Empty;

    [Description("Column holding the image path.")]
    public string PathColumn { get; set; } = "path";

    [Description("Column holding the label (text or whole numbers).")]
    public string LabelColumn { get; set; } = "label";

    [Description("Optional column holding the role: train, query or gallery.")]
    public string RoleColumn { get; set; } = "role";

    [Description("Field delimiter; empty: a tab for .tsv files, a comma otherwise.")]
    public string Delimiter { get; set; } = string.Empty;

    public ImageListOptions ToListOptions() => new()
    {
        PathColumn = PathColumn,
        LabelColumn = LabelColumn,
        RoleColumn = RoleColumn,
        Delimiter = Delimiter.Length == 0 ? null : Delimiter,
        RequireFiles = false,
    };

    public override IEnumerable<string> Validate() =>
        string.IsNullOrWhiteSpace(List)
            ? base.Validate().Append("list must name the CSV or TSV image list.")
            : base.Validate();
}
