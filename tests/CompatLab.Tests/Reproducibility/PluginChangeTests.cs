using System.Security.Cryptography;
using CompatLab.Engine.Reproducibility;
using CompatLab.Engine.Runs;
using CompatLab.Tests.Support;
using Xunit;

namespace CompatLab.Tests.Reproducibility;

/// <summary>A run's identity includes each plugin assembly's hash: a rebuilt plugin never reuses old results, and says so.</summary>
public class PluginChangeTests
{
    [Fact]
    public void ChangedPluginAssemblyGivesANewRunAndTheNoticeSaysWhy()
    {
        using var scratch = new ScratchFolder();
        string file = scratch.File("e.json", FaultyPlugin.Experiment(scratch.Root, "{}"));
        string assembly = Path.Combine(scratch.Root, "plugins", "Faulty", "Faulty.dll");
        Assert.Equal(0, CliProcess.Run(scratch.Root, "run", file).ExitCode);
        string first = RunFolders(scratch).Single();
        string before = Sha256(assembly);
        Assert.Equal(before, RunManifest.Read(first)!.Plugins.Single(p => p.Name == FaultyPlugin.Name).Sha256);

        FaultyPlugin.Build(scratch.Root); // same source, new build: another assembly file
        string after = Sha256(assembly);
        Assert.NotEqual(before, after);
        var (exitCode, _, error) = CliProcess.Run(scratch.Root, "run", file);

        Assert.True(exitCode == 0, error);
        Assert.Contains($"not reusing {first} (plugin faulty's assembly changed: Faulty.dll {before[..4]}..→{after[..4]}..)", error);
        Assert.Equal(2, RunFolders(scratch).Count);
        string second = RunFolders(scratch).Single(f => f != first);
        Assert.Equal(after, RunManifest.Read(second)!.Plugins.Single(p => p.Name == FaultyPlugin.Name).Sha256);
    }

    [Fact]
    public void SameAssemblyReusesTheFinishedRunWithoutANotice()
    {
        using var scratch = new ScratchFolder();
        string file = scratch.File("e.json", FaultyPlugin.Experiment(scratch.Root, "{}"));
        Assert.Equal(0, CliProcess.Run(scratch.Root, "run", file).ExitCode);

        var (exitCode, _, error) = CliProcess.Run(scratch.Root, "run", file);

        Assert.True(exitCode == 0, error);
        Assert.Contains("already finished", error);
        Assert.DoesNotContain("not reusing", error);
        Assert.Single(RunFolders(scratch));
    }

    [Fact]
    public void AChangedProtocolAssemblyGivesNewRunAndOldModelKeys()
    {
        using var scratch = new ScratchFolder();
        string file = scratch.File("e.json", Protocols.FakeProtocolPlugin.Experiment(scratch.Root, Protocols.FakeProtocolPlugin.Name));
        ResolvedExperiment Resolve()
        {
            using var run = InProcessRun.Open(file);
            return run.Experiment;
        }

        var before = Resolve();
        Assert.Equal(before.ContentHash, Resolve().ContentHash);

        // Unlinked first: this process may still map the first build's file.
        File.Delete(Path.Combine(scratch.Root, "plugins", "FakeProtocols", "FakeProtocols.dll"));
        Protocols.FakeProtocolPlugin.Build(scratch.Root); // same source, new build: another assembly file
        var after = Resolve();

        Assert.NotEqual(before.ContentHash, after.ContentHash);
        Assert.NotEqual(before.OldModelKey, after.OldModelKey);
    }

    private static List<string> RunFolders(ScratchFolder scratch) =>
        Directory.GetDirectories(scratch.PathOf("runs/tiny")).Where(d => !Path.GetFileName(d).StartsWith('.')).ToList();

    private static string Sha256(string file) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file)));
}
