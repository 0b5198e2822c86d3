namespace CompatLab.Cli.Data;

/// <summary>What an export wrote: images on disk, rows of the list by role, and the held-out class ids.</summary>
public sealed record ImageExportSummary(int Images, int Listed, int Train, int Query, int Gallery, IReadOnlyList<int> HeldOutClasses);
