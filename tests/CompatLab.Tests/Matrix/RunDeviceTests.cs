using System.Text.Json;
using CompatLab.Engine.Devices;
using CompatLab.Engine.Runs;
using CompatLab.Engine.Tracking;
using Xunit;

namespace CompatLab.Tests.Matrix;

/// <summary>Each cell records its device: the manifest names the GPU its worker was given; the summary CSV shows it.</summary>
public class RunDeviceTests
{
    [Fact]
    public void AWorkersCudaRunRecordsTheGpuTheMatrixGaveIt()
    {
        var environment = new Dictionary<string, string?> { [VisibleGpus.Variable] = "7", [VisibleGpus.WorkerGpuVariable] = "cuda:3" };

        var device = RunDevice.Current("cuda", environment.GetValueOrDefault);

        Assert.Equal(new RunDevice("cuda", "cuda:3", "7", null), device); // no name: this process has no CUDA libtorch
        Assert.Equal("cuda:3", device.Label);
        Assert.Equal("device: cuda:3 (CUDA_VISIBLE_DEVICES=7)", device.ToString());
    }

    [Fact]
    public void ACpuRunRecordsCpuWhateverTheEnvironmentSays()
    {
        var environment = new Dictionary<string, string?> { [VisibleGpus.Variable] = "7", [VisibleGpus.WorkerGpuVariable] = "cuda:3" };

        Assert.Equal(new RunDevice("cpu", null, null, null), RunDevice.Current("cpu", environment.GetValueOrDefault));
    }

    [Fact]
    public void TheSummaryCsvNamesEachCellsRecordedDevice()
    {
        using var scratch = new Support.ScratchFolder();
        var cell = MatrixCells.Cell("c0", "cuda", scratch.Root);
        Directory.CreateDirectory(cell.RunFolder);
        string manifest = JsonSerializer.Serialize(new { device = new RunDevice("cuda", "cuda:1", "1", "NVIDIA H200") }, JsonFormats.Indented);
        File.WriteAllText(Path.Combine(cell.RunFolder, RunManifest.FileName), manifest);

        Engine.Matrix.MatrixReport.Write(scratch.PathOf("m"), [new Engine.Matrix.CellOutcome(cell, null, "stopped")]);

        string[] csv = File.ReadAllLines(scratch.PathOf("m/summary.csv"));
        Assert.EndsWith(",device", csv[0]);
        Assert.EndsWith(",\"stopped\",cuda:1", csv[1]);
    }
}
