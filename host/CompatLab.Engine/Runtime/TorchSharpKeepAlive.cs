using System.Globalization;
using System.Reflection;
using TorchSharp;

namespace CompatLab.Engine.Runtime;

/// <summary>
/// Whether the TorchSharp.dll this process loaded is the one build/KeepAliveWeaver rewrote, so that no tensor or
/// scalar can be finalized while native code reads it (docs/reliability.md, "TorchSharp's temporary objects").
/// </summary>
public static class TorchSharpKeepAlive
{
    /// <summary>The assembly metadata key the weaver writes; its value is the number of handle reads it rewrote.</summary>
    public const string MarkerKey = "CompatLab.KeepAliveWoven";

    /// <summary>The number of rewritten handle reads, or null for the package's own, unwoven file.</summary>
    public static int? WovenHandleReads()
    {
        string? value = typeof(torch).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == MarkerKey)?.Value;
        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int reads) ? reads : null;
    }

    public static string Describe() => WovenHandleReads() is int reads
        ? $"woven: {reads} handle reads keep their object alive"
        : "NOT woven: a temporary tensor or scalar can be freed while libtorch reads it (docs/reliability.md)";
}
