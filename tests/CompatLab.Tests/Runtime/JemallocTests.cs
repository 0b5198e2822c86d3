using CompatLab.Cli.Runtime;
using CompatLab.Engine.Runtime;
using CompatLab.Tests.Support;
using Xunit;

namespace CompatLab.Tests.Runtime;

public class JemallocTests
{
    private const string Debian = "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2";

    [Fact]
    public void PreloadsTheFirstInstalledLibraryUnlessGlibcIsChosenOrTheProcessWasRestarted()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Null(JemallocRestart.LibraryToPreload(_ => null, _ => true));
            return;
        }

        Func<string, bool> onlyDebian = path => path == Debian;
        Assert.Equal(Debian, JemallocRestart.LibraryToPreload(_ => null, onlyDebian));
        Assert.Equal(Debian, JemallocRestart.LibraryToPreload(Variables((JemallocRestart.ChoiceVariable, "auto")), onlyDebian));
        Assert.Null(JemallocRestart.LibraryToPreload(_ => null, _ => false));
        Assert.Null(JemallocRestart.LibraryToPreload(Variables((JemallocRestart.ChoiceVariable, "glibc")), onlyDebian));
        Assert.Null(JemallocRestart.LibraryToPreload(Variables((JemallocRestart.RestartedVariable, "1")), onlyDebian));
        Assert.Equal("/opt/je/libjemalloc.so", JemallocRestart.LibraryToPreload(Variables((JemallocRestart.ChoiceVariable, "/opt/je/libjemalloc.so")), path => path.StartsWith("/opt/", StringComparison.Ordinal)));
        Assert.Null(JemallocRestart.LibraryToPreload(Variables((JemallocRestart.ChoiceVariable, "/missing/libjemalloc.so")), onlyDebian));
    }

    [Fact]
    public void RestartEnvironmentPutsTheLibraryFirstAndKeepsTheUsersSettings()
    {
        var plain = JemallocRestart.RestartEnvironment(new Dictionary<string, string> { ["HOME"] = "/root" }, Debian);
        Assert.Equal(Debian, plain["LD_PRELOAD"]);
        Assert.Equal(JemallocRestart.DefaultConfiguration, plain["MALLOC_CONF"]);
        Assert.Equal("1", plain[JemallocRestart.RestartedVariable]);
        Assert.Equal("/root", plain["HOME"]);

        var own = JemallocRestart.RestartEnvironment(new Dictionary<string, string> { ["LD_PRELOAD"] = "/lib/other.so", ["MALLOC_CONF"] = "narenas:1" }, Debian);
        Assert.Equal($"{Debian}:/lib/other.so", own["LD_PRELOAD"]);
        Assert.Equal("narenas:1", own["MALLOC_CONF"]);
    }

    [Fact]
    public void RemovingTheRestartSettingsLeavesWhatTheUserHadBefore()
    {
        var restarted = JemallocRestart.RestartEnvironment(new Dictionary<string, string> { ["LD_PRELOAD"] = "/lib/other.so", ["HOME"] = "/root" }, Debian)
            .ToDictionary(e => e.Key, e => (string?)e.Value);
        JemallocRestart.RemoveRestartSettings(restarted);
        Assert.Equal(new Dictionary<string, string?> { ["LD_PRELOAD"] = "/lib/other.so", ["HOME"] = "/root" }, restarted);

        var alone = JemallocRestart.RestartEnvironment(new Dictionary<string, string> { ["MALLOC_CONF"] = "narenas:1" }, Debian)
            .ToDictionary(e => e.Key, e => (string?)e.Value);
        JemallocRestart.RemoveRestartSettings(alone);
        Assert.Equal(new Dictionary<string, string?> { ["MALLOC_CONF"] = "narenas:1" }, alone);

        // Not restarted by us: a user's own preload and configuration stay as they are.
        var own = new Dictionary<string, string?> { ["LD_PRELOAD"] = Debian, ["MALLOC_CONF"] = JemallocRestart.DefaultConfiguration };
        JemallocRestart.RemoveRestartSettings(own);
        Assert.Equal(2, own.Count);
    }

    [Fact]
    public void TheCliRunsOnJemallocWhenInstalledAndOnGlibcWhenAskedTo()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        using var scratch = new ScratchFolder();
        bool installed = JemallocRestart.StandardLocations.Any(File.Exists);

        var chosen = Version(scratch.Root, null);
        var glibc = Version(scratch.Root, "glibc");

        Assert.Equal(0, chosen.ExitCode);
        Assert.Contains($"native memory: {(installed ? "jemalloc" : "glibc")}", chosen.Output);
        Assert.Equal(0, glibc.ExitCode);
        Assert.Contains("native memory: glibc", glibc.Output);
        Assert.Equal(string.Empty, chosen.Error);
    }

    private static (int ExitCode, string Output, string Error) Version(string folder, string? choice)
    {
        var info = CliProcess.StartInfo(folder, "version");
        foreach (string key in new[] { JemallocRestart.ChoiceVariable, JemallocRestart.RestartedVariable, "LD_PRELOAD", "MALLOC_CONF" })
        {
            info.Environment.Remove(key);
        }

        if (choice is not null)
        {
            info.Environment[JemallocRestart.ChoiceVariable] = choice;
        }

        return CliProcess.Run(info);
    }

    private static Func<string, string?> Variables(params (string Name, string Value)[] values) =>
        name => values.FirstOrDefault(v => v.Name == name).Value;
}
