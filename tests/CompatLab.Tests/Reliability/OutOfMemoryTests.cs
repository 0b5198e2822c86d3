using CompatLab.Engine.Runs;
using CompatLab.Tests.Support;
using Xunit;

namespace CompatLab.Tests.Reliability;

/// <summary>
/// libtorch's "CUDA out of memory" inside a training step (injected on the CPU by a loss plugin): one line with the
/// stage, step, batch size and what to change, exit 2, state "failed", and the same command resumes from the
/// last checkpoint once memory suffices.
/// </summary>
public class OutOfMemoryTests
{
    [Fact]
    public void OutOfMemoryStopsWithTheBatchSizeAndAHintAndTheRunResumes()
    {
        using var scratch = new ScratchFolder();
        string flag = scratch.File("oom-flag", "present");
        string file = scratch.File("e.json", FaultyPlugin.Experiment(scratch.Root, $$"""{ "oomAtStep": 4, "oomFlag": "{{flag.Replace("\\", "/", StringComparison.Ordinal)}}" }"""));

        var (exitCode, _, error) = CliProcess.Run(scratch.Root, "run", file);
        string runFolder = Directory.GetDirectories(scratch.PathOf("runs/tiny")).Single(d => !Path.GetFileName(d).StartsWith('.'));
        var failed = ExperimentRunner.ReadState(runFolder)!.Status;
        File.Delete(flag);
        var resumed = CliProcess.Run(scratch.Root, "run", file);

        Assert.Equal(2, exitCode);
        string line = Assert.Single(error.Split('\n'), l => l.StartsWith("error: ", StringComparison.Ordinal));
        Assert.Equal(
            "error: new training ran out of memory on cpu at step 5 with batch size 8: lower new.training.batchSize, or set " +
            "runtime.memoryFormat to channelsLast; run the same command again to resume from the checkpoint at step 3",
            line.TrimEnd('\r'));
        Assert.DoesNotContain("   at ", error);
        Assert.Equal(RunState.Failed, failed);
        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.Contains("new: resuming from the checkpoint at step 3", resumed.Output + resumed.Error);
        Assert.Equal(RunState.Finished, ExperimentRunner.ReadState(runFolder)!.Status);
    }

    [Fact]
    public void OutOfMemoryOutsideATrainingStepIsOneLineWithAHint()
    {
        using var scratch = new ScratchFolder();
        var libtorch = new System.Runtime.InteropServices.ExternalException("CUDA out of memory. Tried to allocate 2.00 GiB\nException raised from malloc at ...");

        var reported = new RunFailures([], scratch.Root).Describe(new InvalidOperationException("evaluation failed", libtorch));

        var user = Assert.IsType<CompatLab.Abstractions.CompatLabUserException>(reported);
        Assert.StartsWith("ran out of device memory outside a training step: lower evaluation.chunkSize", user.Message, StringComparison.Ordinal);
        Assert.EndsWith("libtorch said: CUDA out of memory. Tried to allocate 2.00 GiB", user.Message, StringComparison.Ordinal);
    }
}
