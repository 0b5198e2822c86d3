namespace CompatLab.Plugins.Datasets.Images;

/// <summary>The image files read by extension, compared case-insensitively (".JPG" is a JPEG).</summary>
public static class ImageFormats
{
    public static readonly IReadOnlyList<string> Extensions = [".jpg", ".jpeg", ".png", ".webp", ".bmp"];

    public static bool HasImageExtension(string path) =>
        Extensions.Contains(Path.GetExtension(path), StringComparer.OrdinalIgnoreCase);

    public static string ExtensionList => string.Join(", ", Extensions);
}
