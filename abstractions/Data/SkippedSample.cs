namespace CompatLab.Abstractions.Data;

/// <summary>A sample a dataset left out because it could not be read (an image under <c>skipUnreadable</c>): the file and why (contract 1.3).</summary>
public sealed record SkippedSample(string Path, string Reason);
