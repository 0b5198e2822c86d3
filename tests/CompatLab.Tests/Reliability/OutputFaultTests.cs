using System.Diagnostics;
using CompatLab.Abstractions;
using CompatLab.Engine.Runs;
using CompatLab.Tests.Support;
using Xunit;

namespace CompatLab.Tests.Reliability;

/// <summary>
/// Output that cannot be written: exit code 2 naming the path and the first error, state.json failed, no temporary
/// files left. Faults are real kernel errors: /dev/full (disk full), a read-only tmpfs, a folder where a file is
/// written (the kernel refuses it even to root, which chmod cannot stop), a file where a folder is needed.
/// </summary>
public class OutputFaultTests
{
    [Fact]
    public void DiskFullWhileCheckpointingFailsTheRunCleanly()
    {
        using var scratch = new ScratchFolder();
        using var run = InProcessRun.Open(scratch.File("e.json", Experiment(scratch.PathOf("runs"))));
        string temporary = Path.Combine(run.Experiment.RunFolder, "checkpoints", "new", "step-000000003.ckpt.tmp");
        Directory.CreateDirectory(Path.GetDirectoryName(temporary)!);
        File.CreateSymbolicLink(temporary, "/dev/full");

        var error = Assert.Throws<CompatLabUserException>(() => run.Run());

        Assert.Contains("cannot write the run's output", error.Message);
        Assert.Contains("No space left on device", error.Message);
        Assert.Contains(temporary, error.Message);
        AssertFailedWithoutTemporaryFiles(run.Experiment.RunFolder);
    }

    [Fact]
    public void UnwritableStateFileFailsTheRunNamingIt()
    {
        using var scratch = new ScratchFolder();
        using var run = InProcessRun.Open(scratch.File("e.json", Experiment(scratch.PathOf("runs"))));
        string results = Path.Combine(run.Experiment.RunFolder, "results.json.tmp");
        Directory.CreateDirectory(results);

        var error = Assert.Throws<CompatLabUserException>(() => run.Run());

        Assert.Contains($"cannot write the run's output: Access to the path '{results}' is denied", error.Message);
        Assert.Equal(RunState.Failed, ExperimentRunner.ReadState(run.Experiment.RunFolder)!.Status);
    }

    [Fact]
    public void ReadOnlyOutputFailsWithExitCode2()
    {
        using var scratch = new ScratchFolder();
        string mount = scratch.PathOf("readonly");
        Directory.CreateDirectory(mount);
        Sh("mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", mount);
        try
        {
            string file = scratch.File("e.json", Experiment(Path.Combine(mount, "runs")));

            var (exitCode, _, error) = CliProcess.Run(scratch.Root, "run", file);

            Assert.Equal(2, exitCode);
            Assert.StartsWith($"error: cannot write the run's output: Read-only file system : '{mount}/runs", FirstError(error));
            Assert.DoesNotContain("   at ", error);
        }
        finally
        {
            Sh("umount", mount);
        }
    }

    [Fact]
    public void OutputPathThatIsAFileFailsWithExitCode2NamingIt()
    {
        using var scratch = new ScratchFolder();
        string output = scratch.File("runs", "not a folder");
        string file = scratch.File("e.json", Experiment(output));

        var (exitCode, _, error) = CliProcess.Run(scratch.Root, "run", file);

        Assert.Equal(2, exitCode);
        Assert.StartsWith($"error: cannot write the run's output: {output} is a file, but a folder is needed there", FirstError(error));
        Assert.DoesNotContain("   at ", error);
    }

    private static string Experiment(string output) =>
        TinyExperiment.Json(extra: """, "tracking": { "trackers": [] }""")
            .Replace("\"output\": \"runs\"", $"\"output\": \"{output.Replace("\\", "/", StringComparison.Ordinal)}\"", StringComparison.Ordinal);

    private static void AssertFailedWithoutTemporaryFiles(string runFolder)
    {
        var state = ExperimentRunner.ReadState(runFolder)!;
        Assert.Equal(RunState.Failed, state.Status);
        Assert.Contains("No space left on device", state.Error);
        Assert.Empty(Directory.GetFiles(runFolder, "*.tmp", SearchOption.AllDirectories));
    }

    private static void Sh(string command, params string[] arguments)
    {
        var info = new ProcessStartInfo(command) { RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{command} {string.Join(' ', arguments)} failed (the test needs root and tmpfs): {error}");
    }

    /// <summary>The first error line of the CLI's standard error (informational lines such as the thread budget may come before it).</summary>
    private static string FirstError(string error) =>
        error.Split('\n').FirstOrDefault(line => line.StartsWith("error:", StringComparison.Ordinal)) ?? error;
}
