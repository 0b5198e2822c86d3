using System.Reflection;

namespace CompatLab.Abstractions.Plugins;

/// <summary>
/// The contract's version is the assembly version of CompatLab.Abstractions. A plugin built against major M and
/// minor m loads into a host of major M and minor at least m; anything else is refused with both versions named.
/// </summary>
public static class ContractVersion
{
    public static Version Current { get; } = typeof(ContractVersion).Assembly.GetName().Version ?? new Version(1, 0);

    public static string AssemblyName { get; } = typeof(ContractVersion).Assembly.GetName().Name ?? "CompatLab.Abstractions";

    public static bool IsCompatible(Version builtAgainst, Version host) =>
        builtAgainst.Major == host.Major && builtAgainst.Minor <= host.Minor;

    /// <summary>The contract version a plugin assembly was compiled against, or null if it does not reference the contract.</summary>
    public static Version? BuiltAgainst(Assembly pluginAssembly) =>
        pluginAssembly.GetReferencedAssemblies().FirstOrDefault(a => a.Name == AssemblyName)?.Version;
}
