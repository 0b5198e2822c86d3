using CompatLab.Tests.Support;
using Xunit;

namespace CompatLab.Tests.EndToEnd;

/// <summary>A matrix run in local worker processes: a failing cell is recorded and the others finish.</summary>
public class MatrixWorkersTests
{
    [Fact]
    public void WorkersRunEveryCellAndReportTheFailingOne()
    {
        using var scratch = new ScratchFolder();
        string matrix = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "experiments", "ci", "tiny-matrix.json");
        string file = scratch.File("m.json", File.ReadAllText(matrix));

        var run = CliProcess.Run(scratch.Root, "run", file, "--workers", "2");

        Assert.Equal(1, run.ExitCode);
        string[] summary = File.ReadAllLines(scratch.PathOf("runs/ci-tiny-matrix/summary.csv"));
        Assert.Equal(5, summary.Length);
        Assert.Equal(3, summary.Count(l => l.Contains(",finished,", StringComparison.Ordinal)));
        string failed = Assert.Single(summary, l => l.Contains(",failed,", StringComparison.Ordinal));
        Assert.StartsWith("idx_independent,", failed);
        Assert.Contains("/nonexistent/train-images: file not found", failed);
        Assert.True(File.Exists(scratch.PathOf("runs/ci-tiny-matrix/summary.png")));
        Assert.True(File.Exists(scratch.PathOf("runs/ci-tiny-matrix/logs/synthetic_bct.log")));
        Assert.Contains("failed: idx_independent", run.Output);

        // Finished cells are skipped when the same command runs again.
        var again = CliProcess.Run(scratch.Root, "run", file, "--workers", "2");
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("already finished", File.ReadAllText(scratch.PathOf("runs/ci-tiny-matrix/logs/synthetic_bct.log")));
    }

    [Fact]
    public void UnknownCellLabelSuggestsTheNearest()
    {
        using var scratch = new ScratchFolder();
        string matrix = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "experiments", "ci", "tiny-matrix.json");
        string file = scratch.File("m.json", File.ReadAllText(matrix));

        var run = CliProcess.Run(scratch.Root, "run", file, "--cell", "synthetic_bcd");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("did you mean 'synthetic_bct'", run.Error);
    }
}
