using System.Diagnostics;
using CompatLab.Abstractions;
using CompatLab.Engine.Matrix;
using CompatLab.Engine.Runs;
using Xunit;

namespace CompatLab.Tests.Matrix;

/// <summary>Slurm arrays: tasks of cuda cells ask for one GPU each (--gres, configurable); cpu cells ask for none.</summary>
public class SlurmArrayScriptTests
{
    private static ProcessStartInfo Command(ResolvedExperiment cell)
    {
        var info = new ProcessStartInfo("/opt/compatlab");
        info.ArgumentList.Add("run");
        info.ArgumentList.Add("--cell");
        info.ArgumentList.Add(cell.Label);
        return info;
    }

    private static string Script(IReadOnlyList<ResolvedExperiment> cells, string? gres) =>
        SlurmArrayScript.Text(cells, Command, "/work/logs", "m", gres, "/work");

    [Fact]
    public void CudaCellsAskForOneGpuPerTaskByDefault()
    {
        var cells = MatrixCells.Cells("cuda", "cuda:1");
        var (indices, gres) = Assert.Single(SlurmArrayScript.Arrays(cells, SlurmArrayScript.GresFor(null)));

        string script = Script(indices.Select(i => cells[i]).ToList(), gres);

        Assert.Equal(new[] { 0, 1 }, indices);
        Assert.Contains("#SBATCH --gres=gpu:1\n", script);
        Assert.Contains("  1) exec '/opt/compatlab' 'run' '--cell' 'c1' ;;", script);
    }

    [Fact]
    public void CpuCellsAskForNoGpu()
    {
        var cells = MatrixCells.Cells("cpu", "cpu");
        var (indices, gres) = Assert.Single(SlurmArrayScript.Arrays(cells, SlurmArrayScript.GresFor(null)));

        Assert.Null(gres);
        Assert.DoesNotContain("--gres", Script(cells, gres));
    }

    [Fact]
    public void AMixedMatrixBecomesOneArrayPerKindOfTask()
    {
        var cells = MatrixCells.Cells("cpu", "cuda", "cpu");

        var arrays = SlurmArrayScript.Arrays(cells, "gpu:a100:2");

        Assert.Equal(2, arrays.Count);
        Assert.Equal(new[] { 0, 2 }, arrays[0].Cells);
        Assert.Null(arrays[0].Gres);
        Assert.Equal(new[] { 1 }, arrays[1].Cells);
        Assert.Equal("gpu:a100:2", arrays[1].Gres);
        Assert.Contains("#SBATCH --gres=gpu:a100:2\n", Script([cells[1]], arrays[1].Gres));
    }

    [Fact]
    public void GresNoneAsksForNothingAndABadValueIsRefused()
    {
        Assert.Null(SlurmArrayScript.GresFor("none"));
        var (_, gres) = Assert.Single(SlurmArrayScript.Arrays(MatrixCells.Cells("cuda", "cpu"), null));
        Assert.Null(gres);

        var e = Assert.Throws<CompatLabUserException>(() => SlurmArrayScript.GresFor("gpu:1\n#SBATCH --mem=1T"));
        Assert.Contains("--gres gpu:1", e.Message);
        Assert.Contains("expected a Slurm generic resource such as gpu:1", e.Message);
    }
}
