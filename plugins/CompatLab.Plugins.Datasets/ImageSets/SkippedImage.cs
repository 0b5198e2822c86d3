namespace CompatLab.Plugins.Datasets.ImageSets;

/// <summary>An image left out under skipUnreadable: its path, its list line (0 for image folders) and why.</summary>
public sealed record SkippedImage(string Path, int ListLine, string Reason);
