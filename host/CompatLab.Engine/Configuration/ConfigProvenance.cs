namespace CompatLab.Engine.Configuration;

/// <summary>Remembers which file, environment variable or --set gave each configuration key, for error messages.</summary>
public sealed class ConfigProvenance
{
    private const string SetPrefix = "--set ";
    private const string EnvironmentPrefix = "environment variable ";
    private readonly Dictionary<string, string> sources = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> order = new();

    public ConfigProvenance(string primaryFile)
    {
        PrimaryFile = primaryFile;
    }

    public string PrimaryFile { get; }

    public void Record(string key, string source)
    {
        sources[key] = source;
        order.Add(key);
    }

    /// <summary>
    /// The source of a key: its own, else that of the latest key recorded below it (a misspelt section given only by
    /// --set is blamed on that --set, not on the file), else that of its nearest recorded parent, else the primary file.
    /// </summary>
    public string SourceOf(string key)
    {
        if (sources.TryGetValue(key, out var own))
        {
            return own;
        }

        if (LatestBelow(key) is { } below)
        {
            return sources[below];
        }

        for (string? probe = Parent(key); !string.IsNullOrEmpty(probe); probe = Parent(probe))
        {
            if (sources.TryGetValue(probe, out var source))
            {
                return source;
            }
        }

        return PrimaryFile;
    }

    /// <summary>Whether every recorded value at or below <paramref name="key"/> came from --set or the environment (none from a file).</summary>
    public bool OnlyOverrides(string key)
    {
        var recorded = sources.Where(p => Below(p.Key, key) || string.Equals(p.Key, key, StringComparison.OrdinalIgnoreCase)).ToList();
        return recorded.Count > 0 && recorded.All(p => p.Value.StartsWith(SetPrefix, StringComparison.Ordinal) || p.Value.StartsWith(EnvironmentPrefix, StringComparison.Ordinal));
    }

    /// <summary>A key in the dotted form users write (new.training.epochs) rather than configuration's colons.</summary>
    public static string Dotted(string key) => key.Replace(':', '.');

    private string? LatestBelow(string key)
    {
        for (int i = order.Count - 1; i >= 0; i--)
        {
            if (Below(order[i], key))
            {
                return order[i];
            }
        }

        return null;
    }

    private static bool Below(string candidate, string key) =>
        candidate.Length > key.Length + 1 && candidate[key.Length] == ':' && candidate.StartsWith(key, StringComparison.OrdinalIgnoreCase);

    private static string? Parent(string key)
    {
        int cut = key.LastIndexOf(':');
        return cut < 0 ? null : key[..cut];
    }
}
