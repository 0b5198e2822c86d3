namespace CompatLab.Engine.Weights;

/// <summary>
/// How a file's keys become the model's: keys under an ignored prefix are dropped (by default the classifiers of
/// torchvision's networks, which are not part of a trunk), then the longest matching prefix rule is applied
/// ("module." to "" strips DataParallel's prefix; "backbone." to "" a wrapper's).
/// </summary>
public sealed class WeightKeyMap
{
    /// <summary>torchvision's classifier heads: fc (ResNet), classifier (MobileNet), heads (ViT).</summary>
    public static IReadOnlyList<string> TorchVisionHeads { get; } = ["fc.", "classifier.", "heads."];

    private readonly KeyValuePair<string, string>[] renames;
    private readonly string[] ignored;

    public WeightKeyMap(IReadOnlyDictionary<string, string>? prefixRenames = null, IEnumerable<string>? ignoredPrefixes = null)
    {
        renames = (prefixRenames ?? new Dictionary<string, string>()).OrderByDescending(r => r.Key.Length).ToArray();
        ignored = (ignoredPrefixes ?? TorchVisionHeads).ToArray();
    }

    /// <summary>The model's key for a file key, or null when the key is ignored.</summary>
    public string? Map(string fileKey)
    {
        if (ignored.Any(prefix => fileKey.StartsWith(prefix, StringComparison.Ordinal)))
        {
            return null;
        }

        foreach (var (from, to) in renames)
        {
            if (fileKey.StartsWith(from, StringComparison.Ordinal))
            {
                return to + fileKey[from.Length..];
            }
        }

        return fileKey;
    }
}
