using System.Runtime.InteropServices;

namespace CompatLab.Engine.Runtime;

/// <summary>What the symbol check found: how many imports, and those no loaded library defines, split by who owes them.</summary>
public sealed record NativeSymbolReport(int Imported, int Resolved, IReadOnlyList<string> MissingTorch, IReadOnlyList<string> MissingOther)
{
    /// <summary>A libtorch op the shim calls that the loaded libtorch lacks: the process would abort when it is first called.</summary>
    public bool Mismatch => MissingTorch.Count > 0;
}

/// <summary>
/// Checks that every symbol TorchSharp's shim imports resolves in the libraries this process has loaded. The shim
/// binds lazily, so a libtorch of another version (a C++ signature changed) loads fine and aborts later with
/// "symbol lookup error" in the middle of a run; asking each library with dlsym up front names the missing ops.
/// </summary>
public static class NativeSymbolCheck
{
    private static readonly string[] TorchPrefixes = ["_ZN2at", "_ZNK2at", "_ZN3c10", "_ZNK3c10", "_ZN5torch", "_ZNK5torch", "_ZN6caffe2", "_ZTVN2at", "_ZTVN3c10", "_ZTIN3c10", "_ZTVN5torch", "_ZTIN5torch", "_ZTSN3c10"];

    public static bool IsTorchSymbol(string name) => TorchPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal));

    /// <summary>Classifies <paramref name="imported"/> with <paramref name="resolves"/> (true when some loaded library defines the name).</summary>
    public static NativeSymbolReport Check(IReadOnlyList<ImportedSymbol> imported, Func<string, bool> resolves)
    {
        var required = imported.Where(s => !s.Weak).Select(s => s.Name).Distinct(StringComparer.Ordinal).ToList();
        var missing = required.Where(name => !resolves(name)).ToList();
        return new NativeSymbolReport(
            required.Count,
            required.Count - missing.Count,
            missing.Where(IsTorchSymbol).ToList(),
            missing.Where(n => !IsTorchSymbol(n)).ToList());
    }

    /// <summary>The check against this process: each loaded torch library asked by dlsym, then the global scope (C/C++ runtime).</summary>
    public static NativeSymbolReport CheckLoaded(string shimPath, IReadOnlyList<string> loadedLibraries)
    {
        var handles = loadedLibraries
            .Where(p => !Path.GetFileName(p).StartsWith("libLibTorchSharp", StringComparison.Ordinal))
            .Select(p => NativeLibrary.TryLoad(p, out var handle) ? handle : IntPtr.Zero)
            .Where(h => h != IntPtr.Zero)
            .ToList();
        bool Resolves(string name) => handles.Any(h => dlsym(h, name) != IntPtr.Zero) || dlsym(IntPtr.Zero, name) != IntPtr.Zero;
        return Check(ElfDynamicSymbols.Imported(shimPath), Resolves);
    }

#pragma warning disable SA1300, IDE1006 // the C function's own name
    /// <summary>dlsym; handle zero is RTLD_DEFAULT (the global scope).</summary>
    [DllImport("libc", ExactSpelling = true)]
    private static extern IntPtr dlsym(IntPtr handle, [MarshalAs(UnmanagedType.LPUTF8Str)] string symbol);
#pragma warning restore SA1300, IDE1006
}
