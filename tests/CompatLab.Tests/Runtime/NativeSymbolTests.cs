using CompatLab.Engine.Runtime;
using Xunit;

namespace CompatLab.Tests.Runtime;

public class NativeSymbolTests
{
    private static string Shim => LibTorchActivation.ShimPath() ?? throw new InvalidOperationException("no shim beside the tests");

    [Fact]
    public void ReadsTheShimsImportsAndNotItsOwnExports()
    {
        var imported = ElfDynamicSymbols.Imported(Shim);
        var names = imported.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);

        // Measured with nm -D --undefined-only on TorchSharp 0.107's shim: 1320 imports, at::globalContext among them.
        Assert.InRange(imported.Count, 1000, 2000);
        Assert.Contains("_ZN2at13globalContextEv", names);
        Assert.Contains("malloc", names);
        Assert.DoesNotContain("THSTensor_contiguous", names);
        Assert.Contains(imported, s => s.Weak);
    }

    [Fact]
    public void RefusesWhatIsNotA64BitElfLibrary()
    {
        Assert.Throws<InvalidDataException>(() => ElfDynamicSymbols.Imported("not an elf file at all, but long enough to hold a header: 0123456789012345678901234567890123456789"u8, "text"));
        var truncated = File.ReadAllBytes(Shim).AsSpan(0, 4096).ToArray();
        Assert.Throws<InvalidDataException>(() => ElfDynamicSymbols.Imported(truncated, "truncated"));
    }

    [Fact]
    public void MissingLibtorchOpsAreAMismatchAndRuntimeSymbolsAreNot()
    {
        ImportedSymbol[] imported =
        [
            new("_ZN2at4_ops3add4callERKNS_6TensorES4_RKN3c106ScalarE", false),
            new("_ZN3c105ErrorC2ENS_14SourceLocationENSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEE", false),
            new("_ZSt21ios_base_library_initv", false),
            new("__cxa_finalize", true),
            new("malloc", false),
        ];
        var report = NativeSymbolCheck.Check(imported, name => name == "malloc");
        Assert.Equal(4, report.Imported);
        Assert.Equal(1, report.Resolved);
        Assert.True(report.Mismatch);
        Assert.Equal(2, report.MissingTorch.Count);
        Assert.Equal(["_ZSt21ios_base_library_initv"], report.MissingOther);
    }

    [Fact]
    public void EveryLibtorchOpTheShimImportsResolvesInTheBundledLibtorch()
    {
        _ = TorchSharp.torch.get_num_threads();
        var report = NativeSymbolCheck.CheckLoaded(Shim, LibTorchActivation.LoadedLibraries());
        Assert.False(report.Mismatch, string.Join(", ", report.MissingTorch.Take(5)));
        Assert.True(report.Resolved > 1000);
    }

    [Fact]
    public void CudnnSwitchesAreSetOnLibtorchsContextAndReadBack()
    {
        CudnnSwitches.Apply(deterministic: false);
        Assert.Equal((false, true), CudnnSwitches.Read());
        CudnnSwitches.Apply(deterministic: true);
        Assert.Equal((true, false), CudnnSwitches.Read());
    }
}
