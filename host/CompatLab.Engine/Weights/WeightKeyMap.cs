using CompatLab.Abstractions;

namespace CompatLab.Engine.Weights;

/// <summary>
/// How a file's keys become the model's: keys under an ignored prefix are dropped (by default the classifiers of
/// torchvision's networks, which are not part of a trunk), then the longest matching prefix rule is applied
/// ("module." to "" strips DataParallel's prefix; "backbone." to "" a wrapper's), then the caller's layout rename, if any
/// (the old model's checkpoint puts an exported network's keys under "network.").
/// </summary>
public sealed class WeightKeyMap
{
    /// <summary>torchvision's classifier heads: fc (ResNet), classifier (MobileNet), heads (ViT).</summary>
    public static IReadOnlyList<string> TorchVisionHeads { get; } = ["fc.", "classifier.", "heads."];

    private const string Arrow = "=>";

    private readonly KeyValuePair<string, string>[] renames;
    private readonly string[] ignored;
    private readonly Func<string, string> layout;

    public WeightKeyMap(IReadOnlyDictionary<string, string>? prefixRenames = null, IEnumerable<string>? ignoredPrefixes = null, Func<string, string>? layoutRename = null)
    {
        renames = (prefixRenames ?? new Dictionary<string, string>()).OrderByDescending(r => r.Key.Length).ToArray();
        ignored = (ignoredPrefixes ?? TorchVisionHeads).ToArray();
        layout = layoutRename ?? (key => key);
    }

    /// <summary>The prefix renames of a config's keyMap list ("from=>to" each); <paramref name="configKey"/> names the list in errors.</summary>
    public static Dictionary<string, string> ParseRules(IEnumerable<string> rules, string configKey)
    {
        var renames = new Dictionary<string, string>();
        foreach (string rule in rules)
        {
            int arrow = rule.IndexOf(Arrow, StringComparison.Ordinal);
            if (arrow <= 0)
            {
                throw new CompatLabUserException(
                    $"{configKey} entry '{rule}' is not a prefix rename: write \"from=>to\" (\"module.=>\" strips the prefix module.).");
            }

            renames[rule[..arrow]] = rule[(arrow + Arrow.Length)..];
        }

        return renames;
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
                return layout(to + fileKey[from.Length..]);
            }
        }

        return layout(fileKey);
    }
}
