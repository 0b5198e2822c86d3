using System.Text;
using CompatLab.Engine.Plugins;

namespace CompatLab.Engine.Reproducibility;

/// <summary>
/// What a run's identity takes from each plugin it uses: kind, name, assembly, version and the SHA-256 of the
/// assembly file. A rebuilt plugin (even with the same version) thus never reuses the results of the old one.
/// </summary>
public static class PluginIdentity
{
    /// <summary>Appends each plugin's identity (once per kind and name, in the given order) to a run's hashed text.</summary>
    public static StringBuilder AppendTo(StringBuilder text, IEnumerable<BoundPlugin> plugins)
    {
        foreach (var d in plugins.Select(p => p.Descriptor).DistinctBy(d => (d.Kind, d.Name)))
        {
            text.Append('|').Append(d.Kind).Append(':').Append(d.Name).Append('@').Append(d.AssemblyName).Append(' ').Append(d.Version)
                .Append(' ').Append(d.AssemblySha256);
        }

        return text;
    }

    /// <summary>A hash shortened for messages: "3f2c..".</summary>
    public static string Short(string? sha256) => string.IsNullOrEmpty(sha256) ? "unknown" : sha256[..Math.Min(4, sha256.Length)] + "..";
}
