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

    [Fact]
    public void AMixedMatrixIsSubmittedAsTwoArraysFollowedTogether()
    {
        using var scratch = new Support.ScratchFolder();
        var cells = new[] { "cuda", "cpu", "cuda" }.Select((d, i) => MatrixCells.Cell($"c{i}", d, scratch.Root)).ToList();
        var calls = new List<(string Name, IReadOnlyList<string> Arguments)>();
        var scripts = new List<string>();
        string Fake(string name, IReadOnlyList<string> arguments)
        {
            calls.Add((name, arguments));
            if (name == "sbatch")
            {
                scripts.Add(File.ReadAllText(arguments[^1]));
                return $"{100 + scripts.Count};cluster\n";
            }

            return string.Empty; // squeue: every task has left the queue
        }

        var dispatcher = new SlurmDispatcher(Command, [], TextWriter.Null, TimeSpan.Zero, gres: "gpu:1", tool: Fake);
        var outcomes = dispatcher.Run(cells, CancellationToken.None);

        Assert.Equal(new[] { "sbatch", "sbatch", "squeue" }, calls.Select(c => c.Name));
        Assert.DoesNotContain("--gres", scripts[0]);
        Assert.Contains("  0) exec '/opt/compatlab' 'run' '--cell' 'c1' ;;", scripts[0]);
        Assert.Contains("#SBATCH --gres=gpu:1\n", scripts[1]);
        Assert.Contains("  1) exec '/opt/compatlab' 'run' '--cell' 'c2' ;;", scripts[1]);
        Assert.Contains("--array=0-1", calls[1].Arguments);
        Assert.Contains("101,102", calls[2].Arguments);
        Assert.Equal(new[] { "102_0", "101_0", "102_1" }, outcomes.Select(o => o.Error!.Split(' ')[2]));
    }
}
