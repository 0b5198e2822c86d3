namespace CompatLab.Engine.Configuration;

/// <summary>Remembers which file, environment variable or --set gave each configuration key, for error messages.</summary>
public sealed class ConfigProvenance
{
    private readonly Dictionary<string, string> sources = new(StringComparer.OrdinalIgnoreCase);

    public ConfigProvenance(string primaryFile)
    {
        PrimaryFile = primaryFile;
    }

    public string PrimaryFile { get; }

    public void Record(string key, string source) => sources[key] = source;

    /// <summary>The source of a key, or of its nearest recorded parent, or the primary file.</summary>
    public string SourceOf(string key)
    {
        for (string? probe = key; !string.IsNullOrEmpty(probe); probe = Parent(probe))
        {
            if (sources.TryGetValue(probe, out var source))
            {
                return source;
            }
        }

        return PrimaryFile;
    }

    /// <summary>A key in the dotted form users write (new.training.epochs) rather than configuration's colons.</summary>
    public static string Dotted(string key) => key.Replace(':', '.');

    private static string? Parent(string key)
    {
        int cut = key.LastIndexOf(':');
        return cut < 0 ? null : key[..cut];
    }
}
