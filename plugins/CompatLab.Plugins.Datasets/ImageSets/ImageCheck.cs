namespace CompatLab.Plugins.Datasets.ImageSets;

/// <summary>How much of every image is checked when a dataset loads, before any training.</summary>
public enum ImageCheck
{
    /// <summary>Existence, format, size and pixel limit from the header: fast, but a body damaged further on is found only when the image is loaded.</summary>
    Header,

    /// <summary>Every image decoded once: slow for large sets, finds every unreadable image before training.</summary>
    Decode,
}
