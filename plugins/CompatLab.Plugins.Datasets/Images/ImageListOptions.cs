namespace CompatLab.Plugins.Datasets.Images;

/// <summary>Column names of an image list; the delimiter is a tab for .tsv files and a comma otherwise unless set.</summary>
public sealed class ImageListOptions
{
    public string PathColumn { get; set; } = "path";

    public string LabelColumn { get; set; } = "label";

    /// <summary>Optional: a list without this column has no roles.</summary>
    public string RoleColumn { get; set; } = "role";

    /// <summary>Null: chosen from the file's extension.</summary>
    public string? Delimiter { get; set; }

    /// <summary>False: a line naming a missing file is kept, for a later check that can skip it (skipUnreadable).</summary>
    public bool RequireFiles { get; set; } = true;
}
