using System.Runtime.InteropServices;
using TorchSharp;

namespace CompatLab.Engine.Reproducibility;

/// <summary>
/// What about this machine and process can change a run's numbers: the CPU and the instruction sets it offers
/// (oneDNN picks its kernels by them), the native libtorch actually loaded, threads, allocator, and the environment
/// variables that steer them. Read from /proc on Linux; elsewhere what .NET reports.
/// </summary>
public sealed record MachineFacts(
    string CpuModel,
    string? CpuFamily,
    IReadOnlyList<string> IsaFlags,
    int LogicalCores,
    string LibtorchVersion,
    string? LibtorchPath,
    string TorchSharpVersion,
    int TorchThreads,
    string Allocator,
    string DotnetVersion,
    string OperatingSystem,
    IReadOnlyDictionary<string, string> Environment)
{
    /// <summary>Environment variables that change kernels, threads or memory behind the run's back.</summary>
    public static readonly IReadOnlyList<string> SteeringVariables =
    [
        "DNNL_MAX_CPU_ISA", "ONEDNN_MAX_CPU_ISA", "ATEN_CPU_CAPABILITY", "OMP_NUM_THREADS", "MKL_NUM_THREADS",
        "MALLOC_CONF", "LD_PRELOAD", "COMPATLAB_ALLOCATOR", "COMPATLAB_ONEDNN_ISA", "COMPATLAB_FRESH_MEMORY",
    ];

    // SIMD and matrix extensions: the flags that decide which kernels run (all others do not change numbers).
    private static readonly string[] IsaPrefixes = ["sse", "ssse", "avx", "fma", "f16c", "amx", "vnni", "bmi", "sha_ni", "vaes", "vpclmulqdq", "gfni"];

    public static MachineFacts Current()
    {
        var cpu = Runtime.CpuIdentity.Current();
        return new MachineFacts(
            cpu.ModelName.Length > 0 ? cpu.ModelName : RuntimeInformation.ProcessArchitecture.ToString(),
            cpu.Family > 0 ? cpu.Family.ToString(System.Globalization.CultureInfo.InvariantCulture) : null,
            cpu.Flags
                .Where(f => IsaPrefixes.Any(p => f.StartsWith(p, StringComparison.Ordinal)) || f.Contains("avx512", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList(),
            System.Environment.ProcessorCount,
            torch.__version__,
            LoadedLibrary("libtorch_cpu.so") ?? LoadedLibrary("libtorch.so"),
            typeof(torch).Assembly.GetName().Version?.ToString(3) ?? "unknown",
            torch.get_num_threads(),
            Runtime.Jemalloc.ActiveAllocator(),
            RuntimeInformation.FrameworkDescription,
            RuntimeInformation.OSDescription,
            SteeringVariables.Where(v => System.Environment.GetEnvironmentVariable(v) is not null)
                .ToDictionary(v => v, v => System.Environment.GetEnvironmentVariable(v)!, StringComparer.Ordinal));
    }

    /// <summary>Where a shared library was loaded from, as the process's memory map shows it.</summary>
    private static string? LoadedLibrary(string name)
    {
        const string Maps = "/proc/self/maps";
        if (!File.Exists(Maps))
        {
            return null;
        }

        return File.ReadLines(Maps)
            .Select(l => l.IndexOf('/') is var slash and >= 0 ? l[slash..] : null)
            .FirstOrDefault(p => p is not null && Path.GetFileName(p) == name);
    }
}
