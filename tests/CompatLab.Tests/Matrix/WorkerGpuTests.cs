using System.Diagnostics;
using CompatLab.Abstractions;
using CompatLab.Engine.Devices;
using CompatLab.Engine.Matrix;
using CompatLab.Tests.Support;
using Xunit;

namespace CompatLab.Tests.Matrix;

/// <summary>
/// --workers N on a machine with GPUs: worker slot i runs its cuda cells on GPU i mod G (or on --gpus in turn),
/// handed to it through CUDA_VISIBLE_DEVICES. The machine's GPUs are faked: no test here needs CUDA.
/// </summary>
public class WorkerGpuTests
{
    private static Func<VisibleGpus> Faked(int count, string? cudaVisibleDevices = null) => () => VisibleGpus.Of(count, cudaVisibleDevices);

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void WorkerIGetsGpuIModuloTheVisibleCount(int gpus)
    {
        var plan = WorkerGpus.Plan(MatrixCells.Cells("cuda", "cuda"), null, Faked(gpus))!;

        Assert.Equal(Enumerable.Range(0, 8).Select(i => i % gpus), Enumerable.Range(0, 8).Select(plan.ForSlot));
    }

    [Fact]
    public void ExplicitGpusAreTakenInTurnAndNamedByTheParentsVisibleIds()
    {
        var cell = MatrixCells.Cell("c0", "cuda");
        var plan = WorkerGpus.Plan([cell], WorkerGpus.ParseList("1,3"), Faked(4, "4,5,6,7"))!;

        Assert.Equal(new[] { 1, 3, 1, 3 }, Enumerable.Range(0, 4).Select(plan.ForSlot));
        var environment = new Dictionary<string, string?>();
        Assert.Equal("cuda:3", plan.Assign(cell, 1, environment));
        Assert.Equal("7", environment[VisibleGpus.Variable]);
        Assert.Equal("cuda:3", environment[VisibleGpus.WorkerGpuVariable]);
    }

    [Fact]
    public void CpuCellsGetNoGpu()
    {
        Assert.Null(WorkerGpus.Plan(MatrixCells.Cells("cpu", "cpu"), null, () => throw new InvalidOperationException("no GPU count is needed for cpu cells")));

        var plan = WorkerGpus.Plan(MatrixCells.Cells("cuda", "cpu"), null, Faked(2))!;
        var environment = new Dictionary<string, string?>();
        Assert.Null(plan.Assign(MatrixCells.Cell("c1", "cpu"), 1, environment));
        Assert.Empty(environment);
    }

    [Theory]
    [InlineData("0,x", "'x' is not a GPU index")]
    [InlineData("-1", "'-1' is not a GPU index")]
    [InlineData("0,1,0", "GPU 0 is listed twice")]
    [InlineData("", "'' is not a GPU index")]
    public void MalformedGpuListsAreRefusedNamingTheValue(string list, string expected)
    {
        var e = Assert.Throws<CompatLabUserException>(() => WorkerGpus.ParseList(list));

        Assert.Contains($"--gpus {list}: {expected}", e.Message);
    }

    [Fact]
    public void GpusOutOfRangeWithoutCudaOrOverANamedGpuAreRefused()
    {
        var outOfRange = Assert.Throws<CompatLabUserException>(() => WorkerGpus.Plan(MatrixCells.Cells("cuda"), [0, 2], Faked(2, "0,1")));
        Assert.Contains("--gpus 0,2: there is no GPU 2: the loaded libtorch sees 2 visible GPUs (CUDA_VISIBLE_DEVICES=0,1)", outOfRange.Message);

        var cpu = Assert.Throws<CompatLabUserException>(() => WorkerGpus.Plan(MatrixCells.Cells("cpu"), [0], Faked(2)));
        Assert.Contains("--gpus 0: no cell runs on cuda (device \"cpu\")", cpu.Message);

        var named = Assert.Throws<CompatLabUserException>(() => WorkerGpus.Plan(MatrixCells.Cells("cuda", "cuda:1"), [0], Faked(2)));
        Assert.Contains("--gpus 0: cell 'c1' names its own GPU (device \"cuda:1\")", named.Message);
    }

    [Theory]
    [InlineData("--gpus 0,1 --slurm", "--gpus 0,1: Slurm gives each task its GPU")]
    [InlineData("--gpus 1 --cell c0", "--gpus 1: a single --cell runs on the GPUs its process sees")]
    [InlineData("--gres gpu:2 --workers 2", "--gres gpu:2: what a Slurm task asks for, so only with --slurm")]
    public void GpuOptionsThatDoNotFitHowCellsRunAreRefused(string options, string expected)
    {
        var arguments = Cli.CliArguments.Parse(["run", "m.json", .. options.Split(' ')]);

        var e = Assert.Throws<CompatLabUserException>(() => Cli.DeviceOptions.Check(arguments));

        Assert.StartsWith(expected, e.Message);
    }

    [Fact]
    public void EachWorkerProcessIsStartedWithItsSlotsGpu()
    {
        using var scratch = new ScratchFolder();
        var cells = new[] { "cuda", "cuda", "cpu", "cuda" }.Select((d, i) => MatrixCells.Cell($"c{i}", d, scratch.Root)).ToList();
        var messages = new StringWriter();
        var dispatcher = new LocalWorkerDispatcher(4, _ => Echo(), messages, WorkerGpus.Plan(cells, null, Faked(2)));

        dispatcher.Run(cells, CancellationToken.None);

        string[] seen = cells.Select(c => File.ReadAllText(LocalWorkerDispatcher.LogPath(c)).Trim()).ToArray();
        Assert.Equal(new[] { "gpu=0 worker=cuda:0", "gpu=1 worker=cuda:1", "gpu= worker=", "gpu=1 worker=cuda:1" }, seen);
        Assert.Contains("cell c1: started on cuda:1 (pid", messages.ToString());
    }

    [Fact]
    public void TheCliRefusesGpusForAMatrixWithoutCuda()
    {
        using var scratch = new ScratchFolder();
        string file = scratch.File("m.json", File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "experiments", "ci", "tiny-matrix.json")));

        var run = CliProcess.Run(scratch.Root, "run", file, "--workers", "2", "--gpus", "0");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("error: --gpus 0: no cell runs on cuda", run.Error);
        Assert.False(Directory.Exists(scratch.PathOf("runs")), "nothing is written before the options are checked");
    }

    private static ProcessStartInfo Echo()
    {
        // The worker's own environment may carry CUDA_VISIBLE_DEVICES; a cpu cell's worker must see it untouched.
        var info = new ProcessStartInfo("/bin/sh");
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("echo \"gpu=$CUDA_VISIBLE_DEVICES worker=$COMPATLAB_WORKER_GPU\"");
        info.Environment.Remove(VisibleGpus.Variable);
        info.Environment.Remove(VisibleGpus.WorkerGpuVariable);
        return info;
    }
}
