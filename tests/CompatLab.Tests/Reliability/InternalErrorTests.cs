using CompatLab.Cli.Runtime;
using CompatLab.Engine.Runs;
using CompatLab.Tests.Support;
using Xunit;

namespace CompatLab.Tests.Reliability;

/// <summary>A fault of CompatLab itself: one line naming the log with the stack, exit code 3, state.json failed.</summary>
public class InternalErrorTests
{
    [Fact]
    public void FaultInTheHostDuringTrainingEndsWithOneLineExitCode3AndTheStackInTheRunLog()
    {
        using var scratch = new ScratchFolder();
        string file = scratch.File("e.json", FaultyPlugin.Experiment(scratch.Root, """{ "nonScalarAtStep": 2 }"""));

        var (exitCode, _, error) = CliProcess.Run(scratch.Root, "run", file);

        Assert.True(exitCode == InternalErrorReport.ExitCode, error);
        string line = Assert.Single(error.Split('\n'), l => l.StartsWith("internal error: ", StringComparison.Ordinal));
        Assert.Contains("(new training, step 3)", line);
        Assert.DoesNotContain("   at ", error);
        string runFolder = Directory.GetDirectories(scratch.PathOf("runs/tiny")).Single(d => !Path.GetFileName(d).StartsWith('.'));
        string log = Path.Combine(runFolder, RunFailures.ErrorLog);
        Assert.EndsWith($"(details in {log})", line.TrimEnd());
        Assert.Contains("   at ", File.ReadAllText(log));
        var state = ExperimentRunner.ReadState(runFolder)!;
        Assert.Equal(RunState.Failed, state.Status);
        Assert.Empty(Directory.GetFiles(runFolder, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void FaultOutsideARunIsLoggedInTheWorkingDirectory()
    {
        using var scratch = new ScratchFolder();
        var screen = new StringWriter();

        int exitCode = InternalErrorReport.Report(Thrown(new InvalidOperationException("the table has no rows")), screen, scratch.Root);

        Assert.Equal(3, exitCode);
        string log = Path.Combine(scratch.Root, InternalErrorReport.FallbackLog);
        Assert.Equal($"internal error: the table has no rows (details in {log})\n", screen.ToString().ReplaceLineEndings("\n"));
        Assert.Contains(nameof(Thrown), File.ReadAllText(log));
    }

    [Fact]
    public void WrapperExceptionsShowTheirCause()
    {
        using var scratch = new ScratchFolder();
        var screen = new StringWriter();

        InternalErrorReport.Report(new AggregateException(new ArgumentOutOfRangeException("k", "k must be below 5")), screen, scratch.Root);

        Assert.StartsWith("internal error: k must be below 5 (Parameter 'k') (details in ", screen.ToString());
    }

    private static Exception Thrown(Exception e)
    {
        try
        {
            throw e;
        }
        catch (Exception caught)
        {
            return caught;
        }
    }
}
