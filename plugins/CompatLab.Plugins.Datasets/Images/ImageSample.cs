namespace CompatLab.Plugins.Datasets.Images;

/// <summary>One image of an index: its absolute path, class id, optional role, and where it was listed (0 for folders).</summary>
public sealed record ImageSample(string Path, int Label, string? Role, int ListLine);
