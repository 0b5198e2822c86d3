using CompatLab.Build;
using TorchSharp;
using Xunit;

namespace CompatLab.Tests.Build;

public class TorchSharpNativeFixTests
{
    private static string ShippedLibrary()
    {
        string home = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        return Path.Combine(home, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
    }

    [Fact]
    public void TorchSharpLoadsInThisOutput()
    {
        using var sum = torch.ones(2, 3).sum();
        Assert.Equal(6f, sum.item<float>());
    }

    [Fact]
    public void PatchMarksOnlyTheRequirementWeakAndIsIdempotent()
    {
        byte[] shipped = File.ReadAllBytes(ShippedLibrary());
        byte[] image = (byte[])shipped.Clone();

        Assert.Equal(ElfPatchOutcome.Patched, ElfVersionRequirementPatcher.MakeRequirementWeak(image, "GLIBCXX_3.4.32"));
        int changed = Enumerable.Range(0, image.Length).Count(i => image[i] != shipped[i]);
        Assert.Equal(1, changed);

        byte[] again = (byte[])image.Clone();
        Assert.Equal(ElfPatchOutcome.AlreadyWeak, ElfVersionRequirementPatcher.MakeRequirementWeak(again, "GLIBCXX_3.4.32"));
        Assert.Equal(image, again);
    }

    [Fact]
    public void AbsentRequirementAndNonElfFilesAreLeftAlone()
    {
        byte[] image = File.ReadAllBytes(ShippedLibrary());
        byte[] copy = (byte[])image.Clone();
        Assert.Equal(ElfPatchOutcome.RequirementAbsent, ElfVersionRequirementPatcher.MakeRequirementWeak(copy, "GLIBCXX_9.9.99"));
        Assert.Equal(image, copy);

        byte[] text = System.Text.Encoding.ASCII.GetBytes(new string('x', 200));
        Assert.Equal(ElfPatchOutcome.NotElf64LittleEndian, ElfVersionRequirementPatcher.MakeRequirementWeak(text, "GLIBCXX_3.4.32"));
    }
}
