using System.Runtime.InteropServices;

namespace CompatLab.Engine.Runtime;

/// <summary>
/// Chooses the highest instruction set oneDNN (libtorch's CPU convolution library) may use. On AMD's Zen 5
/// generation (CPU family 26) the AVX-512 convolution kernels of the oneDNN inside libtorch 2.10 read memory their
/// primitives never wrote: narrow networks train to NaN under jemalloc and a ResNet-50 step dies with SIGFPE,
/// while the AVX2 kernels compute correctly (docs/reliability.md, "NaN on Zen 5"). There the cap is AVX2 unless the
/// user set oneDNN's own variable or <see cref="ChoiceVariable"/>. oneDNN reads the variable once, at its first
/// primitive, so this runs before libtorch does any work.
/// </summary>
public static class OneDnnIsa
{
    /// <summary>"auto" (default: cap where known to be needed), "native" (never cap), or an ISA name for oneDNN.</summary>
    public const string ChoiceVariable = "COMPATLAB_ONEDNN_ISA";

    public const string OneDnnVariable = "ONEDNN_MAX_CPU_ISA";

    public const string LegacyOneDnnVariable = "DNNL_MAX_CPU_ISA";

    /// <summary>The first AMD family whose AVX-512 kernels misbehave with the bundled oneDNN (Zen 5).</summary>
    public const int FirstAffectedAmdFamily = 26;

    /// <summary>The cap to set, or null to leave oneDNN's own choice (or the user's setting) alone.</summary>
    public static string? CapFor(CpuIdentity cpu, Func<string, string?> environment)
    {
        if (!string.IsNullOrEmpty(environment(OneDnnVariable)) || !string.IsNullOrEmpty(environment(LegacyOneDnnVariable)))
        {
            return null;
        }

        string choice = environment(ChoiceVariable)?.Trim() ?? string.Empty;
        if (choice.Equals("native", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (choice.Length > 0 && !choice.Equals("auto", StringComparison.OrdinalIgnoreCase))
        {
            return choice.ToUpperInvariant();
        }

        bool affected = cpu.IsAmd && cpu.Family >= FirstAffectedAmdFamily && cpu.Flags.Contains("avx512f");
        return affected ? "AVX2" : null;
    }

    /// <summary>Sets the cap for this process and the processes it starts; returns it, or null when none was set.</summary>
    public static string? Apply()
    {
        string? cap = CapFor(CpuIdentity.Current(), Environment.GetEnvironmentVariable);
        if (cap is not null)
        {
            // .NET keeps its own copy of the environment on Unix: libtorch reads the C library's.
            Environment.SetEnvironmentVariable(OneDnnVariable, cap);
            if (OperatingSystem.IsLinux())
            {
                setenv(OneDnnVariable, cap, 1);
            }
        }

        return cap;
    }

    /// <summary>What oneDNN is limited to in this process, for version and diagnostics output.</summary>
    public static string Describe() =>
        Environment.GetEnvironmentVariable(OneDnnVariable) ?? Environment.GetEnvironmentVariable(LegacyOneDnnVariable) ?? "native";

    [DllImport("libc", SetLastError = true)]
    private static extern int setenv(string name, string value, int overwrite);
}
