using System.Reflection;
using System.Runtime.InteropServices;
using CompatLab.Abstractions;
using TorchSharp;

namespace CompatLab.Engine.Runtime;

/// <summary>
/// Makes this process run on a chosen libtorch: restarted with its folder first on LD_LIBRARY_PATH (the loader
/// reads it only at start; TorchSharp's shim finds libtorch.so there before its own folder), then its libraries
/// and the shim loaded by full path, so a shim that does not fit the libtorch is reported now, with the missing
/// ops, instead of aborting mid-run. TorchSharp 0.107 loads torch_cpu by name, and .NET probes the application's
/// folder first: a bundled CPU copy there would load beside the chosen one (two libtorch_cpu abort at once,
/// "Tried to register multiple backend fallbacks"), so an application folder that has one is refused.
/// </summary>
public static class LibTorchActivation
{
    /// <summary>Load order: each library's dependencies come before it.</summary>
    private static readonly string[] CpuLibraries = ["libc10.so", "libtorch_cpu.so"];
    private static readonly string[] CudaLibraries = ["libc10_cuda.so", "libtorch_cuda.so"];
    private static readonly object Gate = new();

    /// <summary>The libtorch this process runs on; bundled until <see cref="Activate"/> chose another.</summary>
    public static LibTorchChoice Current { get; private set; } = LibTorchChoice.Bundled([]);

    private static bool activated;

    /// <summary>Loads <paramref name="choice"/>; call before any tensor exists. A second, different choice is refused.</summary>
    public static void Activate(LibTorchChoice choice)
    {
        lock (Gate)
        {
            if (activated)
            {
                if (choice.Folder != Current.Folder)
                {
                    throw new CompatLabUserException($"libtorch is already loaded from {Current.Describe()}; a process runs on one libtorch, so {choice.Describe()} cannot follow");
                }

                return;
            }

            if (choice.IsBundled)
            {
                activated = true;
                return;
            }

            if (BundledCopy() is { } bundled)
            {
                throw new CompatLabUserException(
                    $"libtorch {choice.Describe()} was chosen, but the bundled CPU libtorch is in the application's folder ({bundled}); " +
                    "TorchSharp loads torch_cpu by name and .NET finds that copy first, and two libtorch_cpu in one process abort. " +
                    "Use a CLI folder without it (bench/gpu/pack.sh makes one; docs/gpu.md) or delete the bundled libtorch*.so and libc10.so there");
            }

            LibraryPathRestart.RestartIfNeeded(choice.Folder!);
            activated = true;
            Current = choice;

            // Child processes (matrix workers) inherit the choice instead of searching again.
            Environment.SetEnvironmentVariable(LibTorchLocator.Variable, choice.Folder);
            var names = choice.HasCuda ? CpuLibraries.Concat(CudaLibraries) : CpuLibraries;
            foreach (string name in names.Append("libtorch.so"))
            {
                string path = Path.Combine(choice.Folder!, name);
                _ = NativeLibrary.TryLoad(path, out _)
                    ? 0
                    : throw new CompatLabUserException($"libtorch {choice.Describe()}: {path} did not load (a missing dependency or another architecture); run 'compatlab doctor' with LD_DEBUG=files for the loader's reasons");
            }

            string shim = ShimPath() ?? throw new CompatLabUserException($"TorchSharp's native shim libLibTorchSharp.so is not beside compatlab ({AppContext.BaseDirectory}); rebuild or repack the CLI");
            if (!NativeLibrary.TryLoad(shim, out _))
            {
                throw new CompatLabUserException(ShimFailure(choice, shim));
            }
        }
    }

    /// <summary>Why the shim did not load: the libtorch ops it imports that the chosen libtorch lacks, named.</summary>
    private static string ShimFailure(LibTorchChoice choice, string shim)
    {
        var report = NativeSymbolCheck.CheckLoaded(shim, LoadedLibraries());
        string missing = report.MissingTorch.Count == 0
            ? "no libtorch op is missing; a dependency of the shim is (LD_DEBUG=files shows which)"
            : $"{report.MissingTorch.Count} libtorch op(s) it imports are missing there, e.g. {string.Join(", ", report.MissingTorch.Take(8))}";
        return $"TorchSharp {TorchSharpVersion()}'s shim does not load on {choice.Describe()} ({LibTorchVersion.Describe(choice)}): {missing}. Use a libtorch of the version TorchSharp is built for, or unset {LibTorchLocator.Variable}/runtime.libtorch";
    }

    /// <summary>The bundled CPU libtorch_cpu.so where .NET probes for native libraries, or null when it was left out.</summary>
    public static string? BundledCopy()
    {
        string[] candidates =
        [
            Path.Combine(AppContext.BaseDirectory, "libtorch_cpu.so"),
            Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libtorch_cpu.so"),
        ];
        return candidates.FirstOrDefault(File.Exists);
    }

    /// <summary>The shim's path: beside the app (self-contained publish) or under runtimes/linux-x64/native (build output).</summary>
    public static string? ShimPath()
    {
        string[] candidates =
        [
            Path.Combine(AppContext.BaseDirectory, "libLibTorchSharp.so"),
            Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so"),
        ];
        return candidates.FirstOrDefault(File.Exists);
    }

    public static string TorchSharpVersion()
    {
        var assembly = typeof(torch).Assembly;
        string? informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        return (informational ?? assembly.GetName().Version?.ToString() ?? "unknown").Split('+')[0];
    }

    /// <summary>Native libraries of the torch stack mapped into this process, by full path, in map order.</summary>
    public static IReadOnlyList<string> LoadedLibraries()
    {
        if (!File.Exists("/proc/self/maps"))
        {
            return [];
        }

        return File.ReadLines("/proc/self/maps")
            .Select(line => line.IndexOf('/', StringComparison.Ordinal) is int slash and >= 0 ? line[slash..] : string.Empty)
            .Where(IsTorchStack)
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Two different files of one libtorch library mapped at once: the bundled copy shadowing or doubling another.</summary>
    public static IReadOnlyList<string> DuplicateLibraries(IReadOnlyList<string> loaded) =>
        loaded.GroupBy(Path.GetFileName, StringComparer.Ordinal).Where(g => g.Count() > 1).SelectMany(g => g).ToList();

    private static bool IsTorchStack(string path)
    {
        string name = Path.GetFileName(path);
        return name.StartsWith("libtorch", StringComparison.Ordinal) || name.StartsWith("libc10", StringComparison.Ordinal)
            || name.StartsWith("libLibTorchSharp", StringComparison.Ordinal) || name.StartsWith("libcudnn", StringComparison.Ordinal)
            || name.StartsWith("libcudart", StringComparison.Ordinal) || name.StartsWith("libcublas", StringComparison.Ordinal);
    }
}
