using CompatLab.Abstractions;
using CompatLab.Engine.Runs;
using CompatLab.Tests.Support;
using Xunit;

namespace CompatLab.Tests.Reliability;

/// <summary>A plugin that throws: one line naming plugin, kind, phase and message; the stack in error.log; exit 2; a matrix goes on.</summary>
public class PluginFaultTests
{
    [Fact]
    public void PluginThrowingInATrainingStepEndsTheRunWithOneLineAndExitCode2()
    {
        using var scratch = new ScratchFolder();
        string file = scratch.File("e.json", FaultyPlugin.Experiment(scratch.Root, """{ "throwAtStep": 4 }"""));

        var (exitCode, _, error) = CliProcess.Run(scratch.Root, "run", file);

        Assert.Equal(2, exitCode);
        string line = Assert.Single(error.Split('\n'), l => l.StartsWith("error: ", StringComparison.Ordinal));
        Assert.StartsWith("error: loss plugin 'faulty' failed in Compute (new training, step 5): the faulty loss broke on purpose (stack in ", line);
        Assert.DoesNotContain("   at ", error);
        string runFolder = Directory.GetDirectories(scratch.PathOf("runs/tiny")).Single(d => !Path.GetFileName(d).StartsWith('.'));
        Assert.Contains("Faulty.FaultyLoss.Compute", File.ReadAllText(Path.Combine(runFolder, RunFailures.ErrorLog)));
        Assert.Equal(RunState.Failed, ExperimentRunner.ReadState(runFolder)!.Status);
    }

    [Fact]
    public void PluginThrowingInPrepareIsNamedWithThatPhase()
    {
        using var scratch = new ScratchFolder();
        string file = scratch.File("e.json", FaultyPlugin.Experiment(scratch.Root, """{ "throwInPrepare": true }"""));
        using var run = InProcessRun.Open(file);

        var error = Assert.Throws<CompatLabUserException>(() => run.Run());

        Assert.StartsWith("loss plugin 'faulty' failed in Prepare: the prototype bank is empty (stack in ", error.Message);
        Assert.Equal(RunState.Failed, ExperimentRunner.ReadState(run.Experiment.RunFolder)!.Status);
    }

    [Fact]
    public void MatrixMarksTheCellWithTheFaultyPluginFailedAndRunsTheOthers()
    {
        using var scratch = new ScratchFolder();
        string file = scratch.File("m.json", FaultyPlugin.Experiment(scratch.Root, "{}", """, "matrix": { "axes": { "new.loss.options.throwAtStep": [2, 99] } }"""));

        var (exitCode, output, error) = CliProcess.Run(scratch.Root, "run", file);

        Assert.True(exitCode == 1, error);
        string[] summary = File.ReadAllLines(scratch.PathOf("runs/tiny/summary.csv"));
        Assert.Contains(summary, l => l.StartsWith("99,", StringComparison.Ordinal) && l.Contains(",finished,", StringComparison.Ordinal));
        Assert.Contains(summary, l => l.StartsWith("2,", StringComparison.Ordinal) && l.Contains("loss plugin 'faulty' failed in Compute (new training, step 3)", StringComparison.Ordinal));
        Assert.Contains("failed: 2:", output);
        Assert.DoesNotContain("   at ", error);
    }
}
