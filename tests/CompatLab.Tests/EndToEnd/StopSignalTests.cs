using System.Diagnostics;
using CompatLab.Engine.Runs;
using CompatLab.Tests.Support;
using Xunit;

namespace CompatLab.Tests.EndToEnd;

/// <summary>A scheduler's SIGTERM (Slurm preemption, a time limit): the run checkpoints, stops with exit code 130, and resumes.</summary>
public class StopSignalTests
{
    // Long enough that the stop always lands before the end, however fast the machine (4 epochs could finish between the check and the signal).
    private static readonly string[] LongerTraining = { "--set", "new.training.epochs=100" };

    [Fact]
    public async Task SigtermStopsTheRunWithExitCode130AndTheSameCommandResumesIt()
    {
        using var scratch = new ScratchFolder();
        string file = scratch.File("e.json", TinyExperiment.Json());
        string[] args = new[] { "run", file }.Concat(LongerTraining).ToArray();
        int exitCode;
        string error;
        using (var process = Process.Start(CliProcess.StartInfo(scratch.Root, args))!)
        {
            _ = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            var deadline = DateTime.UtcNow.AddMinutes(3);
            while (!HasNewStageCheckpoint(scratch.PathOf("runs/tiny")) && !process.HasExited && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }

            Assert.False(process.HasExited, "the run ended before it could be stopped; make the test run longer");
            await Process.Start("kill", $"-TERM {process.Id}")!.WaitForExitAsync();
            using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            await process.WaitForExitAsync(patience.Token);
            exitCode = process.ExitCode;
            error = await errors;
        }

        Assert.True(exitCode == 130, $"exit code {exitCode}: {error}");
        Assert.Contains("interrupted: ", error);
        string folder = Directory.GetFiles(scratch.PathOf("runs/tiny"), "state.json", SearchOption.AllDirectories).Select(Path.GetDirectoryName).Single()!;
        Assert.Equal(RunState.Killed, ExperimentRunner.ReadState(folder)!.Status);
        Assert.False(File.Exists(Path.Combine(folder, "results.json")));

        var resumed = CliProcess.Run(scratch.Root, args);

        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.Contains("new: resuming from the checkpoint at step", resumed.Error);
        Assert.Equal(RunState.Finished, ExperimentRunner.ReadState(folder)!.Status);
    }

    private static bool HasNewStageCheckpoint(string folder) =>
        Directory.Exists(folder) && Directory.GetFiles(folder, "step-*.ckpt", SearchOption.AllDirectories).Any(f => f.Contains("/checkpoints/new/", StringComparison.Ordinal));
}
