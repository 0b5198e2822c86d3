namespace CompatLab.Engine.Runtime;

/// <summary>The processor as Linux describes it in /proc/cpuinfo (first processor): vendor, family, model and flags.</summary>
public sealed record CpuIdentity(string Vendor, int Family, int Model, string ModelName, IReadOnlySet<string> Flags)
{
    public const string CpuInfoPath = "/proc/cpuinfo";

    public static CpuIdentity Unknown { get; } = new(string.Empty, 0, 0, string.Empty, new HashSet<string>());

    public bool IsAmd => Vendor == "AuthenticAMD";

    /// <summary>This machine's processor, or <see cref="Unknown"/> where /proc/cpuinfo cannot be read.</summary>
    public static CpuIdentity Current()
    {
        try
        {
            return File.Exists(CpuInfoPath) ? Parse(File.ReadAllText(CpuInfoPath)) : Unknown;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Unknown;
        }
    }

    /// <summary>Reads the first processor's block; fields it lacks keep their empty values.</summary>
    public static CpuIdentity Parse(string cpuInfo)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in cpuInfo.Split('\n'))
        {
            if (line.Trim().Length == 0 && fields.Count > 0)
            {
                break;
            }

            int colon = line.IndexOf(':');
            if (colon > 0)
            {
                fields.TryAdd(line[..colon].Trim(), line[(colon + 1)..].Trim());
            }
        }

        string Field(string name) => fields.GetValueOrDefault(name, string.Empty);
        int Number(string name) => int.TryParse(Field(name), out int value) ? value : 0;
        var flags = Field("flags").Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        return new CpuIdentity(Field("vendor_id"), Number("cpu family"), Number("model"), Field("model name"), flags);
    }
}
