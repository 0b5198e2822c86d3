using CompatLab.Abstractions;
using CompatLab.Engine.Runtime;
using CompatLab.Tests.Support;
using Xunit;

namespace CompatLab.Tests.Runtime;

public class LibTorchSelectionTests
{
    private const string Wheel = "/opt/py/site-packages/torch";

    private static LibTorchLocator Locator(Dictionary<string, string>? environment = null, string? pythonTorch = Wheel, params string[] files) =>
        new(name => environment is not null && environment.TryGetValue(name, out var v) ? v : null, files.Contains, _ => pythonTorch);

    [Fact]
    public void CpuRunsKeepTheBundledLibtorchAndNeverAskPython()
    {
        var locator = new LibTorchLocator(_ => null, _ => true, _ => throw new InvalidOperationException("python must not be asked for cpu"));
        var choice = locator.Locate("cpu", null, "python3");
        Assert.True(choice.IsBundled);
        Assert.False(choice.HasCuda);
    }

    [Fact]
    public void CudaTakesTheTorchOfPythonWhenItHasLibtorchCuda()
    {
        var choice = Locator(files: [$"{Wheel}/lib/libtorch_cuda.so"]).Locate("cuda:1", null, "python3");
        Assert.Equal($"{Wheel}/lib", choice.Folder);
        Assert.True(choice.HasCuda);
    }

    [Fact]
    public void AnExplicitFolderComesFirstEnvironmentBeforeConfiguration()
    {
        string[] files = ["/env/lib/libtorch_cpu.so", "/env/lib/libtorch_cuda.so", "/cfg/lib/libtorch_cpu.so"];
        var fromEnvironment = Locator(new() { [LibTorchLocator.Variable] = "/env/lib" }, null, files).Locate("cuda", "/cfg/lib", "python3");
        Assert.Equal("/env/lib", fromEnvironment.Folder);
        Assert.Equal(LibTorchLocator.Variable, fromEnvironment.Source);
        var fromConfiguration = Locator(null, null, files).Locate("cpu", "/cfg/lib", "python3");
        Assert.Equal("/cfg/lib", fromConfiguration.Folder);
        Assert.False(fromConfiguration.HasCuda);
    }

    [Fact]
    public void CudaWithoutACudaLibtorchNamesEveryPlaceLookedAt()
    {
        var cpuOnlyPython = Assert.Throws<CompatLabUserException>(() => Locator(files: [$"{Wheel}/lib/libtorch_cpu.so"]).Locate("cuda", null, "/usr/bin/python3"));
        Assert.Contains(LibTorchLocator.Variable, cpuOnlyPython.Message);
        Assert.Contains("runtime.libtorch", cpuOnlyPython.Message);
        Assert.Contains($"{Wheel}/lib", cpuOnlyPython.Message);
        Assert.Contains("no libtorch_cuda.so", cpuOnlyPython.Message);
        Assert.Contains("bundled libtorch: CPU only", cpuOnlyPython.Message);

        var noTorch = Assert.Throws<CompatLabUserException>(() => Locator(pythonTorch: null).Locate("cuda", null, "python3"));
        Assert.Contains("found no torch", noTorch.Message);

        var cpuFolder = Assert.Throws<CompatLabUserException>(() => Locator(null, null, "/cfg/lib/libtorch_cpu.so").Locate("cuda", "/cfg/lib", "python3"));
        Assert.Contains("/cfg/lib holds no libtorch_cuda.so", cpuFolder.Message);

        var notLibtorch = Assert.Throws<CompatLabUserException>(() => Locator(null, null).Locate("cpu", "/nothing", "python3"));
        Assert.Contains("'/nothing' holds no libtorch_cpu.so", notLibtorch.Message);
    }

    [Fact]
    public void RestartPutsTheFolderFirstOnTheLibraryPathOnce()
    {
        Assert.True(LibraryPathRestart.Needed("/t/lib", _ => null));
        Assert.False(LibraryPathRestart.Needed("/t/lib", name => name == "LD_LIBRARY_PATH" ? "/t/lib/:/usr/lib" : null));
        Assert.False(LibraryPathRestart.Needed("/t/lib", name => name == LibraryPathRestart.RestartedVariable ? "/t/lib" : null));
        var environment = LibraryPathRestart.Environment(new Dictionary<string, string> { ["LD_LIBRARY_PATH"] = "/usr/local/lib" }, "/t/lib");
        Assert.Equal("/t/lib:/usr/local/lib", environment["LD_LIBRARY_PATH"]);
        Assert.Equal("/t/lib", environment[LibTorchLocator.Variable]);
    }

    [Fact]
    public void VersionComesFromTorchsVersionFile()
    {
        Assert.Equal("2.11.0+cu130 (CUDA 13.0)", LibTorchVersion.FromVersionFile("__version__ = '2.11.0+cu130'\ndebug = False\ncuda: Optional[str] = '13.0'\n"));
        Assert.Equal("1.13.0a0 (no CUDA)", LibTorchVersion.FromVersionFile("__version__ = '1.13.0a0'\ndebug = False\ncuda = None\n"));
    }

    [Fact]
    public void DoctorDescribesTheBundledLibtorchAndFindsEveryLibtorchOpOfTheShim()
    {
        var (code, output, error) = CliProcess.Run(AppContext.BaseDirectory, "doctor");
        Assert.True(code == 0, error + output);
        Assert.Contains("the CPU libtorch bundled with compatlab", output);
        Assert.Contains("TorchSharp     0.107", output);
        Assert.Matches(@"symbols        (\d+) of \1 |symbols        \d+ of \d+ the shim imports resolve; \d+ C/C\+\+ runtime", output);
        Assert.DoesNotContain("MISMATCH", output);
        Assert.Contains("libtorch_cpu.so", output);
    }

    [Fact]
    public void CudaWithTheBundledLibtorchExitsTwoNamingWhatWasLookedFor()
    {
        var info = CliProcess.StartInfo(AppContext.BaseDirectory, "doctor", "--device", "cuda");
        info.Environment.Remove(LibTorchLocator.Variable);
        var (code, _, error) = CliProcess.Run(info);
        Assert.Equal(2, code);
        Assert.Contains("needs a libtorch built with CUDA", error);
        Assert.DoesNotContain("   at ", error);
    }
}
