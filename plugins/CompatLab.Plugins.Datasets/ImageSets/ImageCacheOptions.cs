using System.ComponentModel;

namespace CompatLab.Plugins.Datasets.ImageSets;

/// <summary>The decoded cache: every image once as uint8 RGB, the centre square at a chosen side, in one flat file, read a row at a time.</summary>
public sealed class ImageCacheOptions
{
    [Description("Side of the cached squares: each image's short side is resized to this and its centre square kept.")]
    public int ShortSide { get; set; } = 144;

    [Description("Folder of the cache files; empty uses $XDG_CACHE_HOME/compatlab/images (or ~/.cache/compatlab/images).")]
    public string Folder { get; set; } = string.Empty;

    public string EffectiveFolder => Folder.Length > 0
        ? Folder
        : Path.Combine(
            Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg ? xdg : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"),
            "compatlab",
            "images");

    public IEnumerable<string> Validate(int imageSize)
    {
        if (ShortSide < imageSize)
        {
            yield return $"cache.shortSide must be at least imageSize ({imageSize}), got {ShortSide}.";
        }
    }
}
