using CompatLab.Cli;
using CompatLab.Cli.SelfTest;
using CompatLab.Engine.Training;
using Xunit;
using static TorchSharp.torch;

namespace CompatLab.Tests.Gpu;

/// <summary>bf16 and channels-last on the CPU: slow, but they must work (and the GPU category's checks run here too).</summary>
public class StepFormatTests
{
    [Fact]
    public void ChannelsLastKeepsShapeAndValuesWithChannelsInnermost()
    {
        using var scope = NewDisposeScope();
        var images = arange(2 * 3 * 4 * 5, ScalarType.Float32).reshape(2, 3, 4, 5);
        var converted = StepFormat.ToChannelsLast(images);
        Assert.Equal(images.shape, converted.shape);
        Assert.Equal(new long[] { 60, 1, 15, 3 }, converted.stride());
        Assert.True(StepFormat.IsChannelsLast(converted));
        Assert.False(StepFormat.IsChannelsLast(images));
        Assert.True(converted.allclose(images, rtol: 0, atol: 0));
        var input = new StepFormat(Bf16: true, ChannelsLast: true).Input(images);
        Assert.Equal(ScalarType.BFloat16, input.dtype);
        Assert.True(StepFormat.IsChannelsLast(input));
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void StepsInEveryFormatGiveALossCloseToFp32(bool bf16, bool channelsLast)
    {
        var setup = new TrainingStepTimer.StepSetup("cnn4", 8, 16, 3, 5, 1);
        var reference = TrainingStepTimer.Measure([], setup, StepFormat.Default, CPU, 1, 2);
        var result = TrainingStepTimer.Measure([], setup, new StepFormat(bf16, channelsLast), CPU, 1, 2);
        Assert.True(float.IsFinite(result.LastLoss));
        Assert.Equal(reference.LastLoss, result.LastLoss, bf16 ? 0.1 : 1e-3);
    }

    [Fact]
    public void TheGpuChecksPassOnTheCpu()
    {
        GpuChecks.TensorsMatchCpu(CPU);
        GpuChecks.Bf16ChannelsLastStepRuns(CPU);
    }

    [Fact]
    public void ARunInChannelsLastEndsWithTheSameResultsAsNchw()
    {
        using var nchw = new Support.ScratchFolder();
        using var channelsLast = new Support.ScratchFolder();
        string Run(Support.ScratchFolder folder, string extra)
        {
            string file = folder.File("e.json", Support.TinyExperiment.Json(extra: extra));
            var (code, _, error) = Support.CliProcess.Run(folder.Root, "run", file);
            Assert.True(code == 0, error);
            var results = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Directory.GetFiles(folder.PathOf("runs/tiny"), "results.json", SearchOption.AllDirectories).Single()))!;
            return results["cross"]!["map"]!.GetValue<double>().ToString("F3", System.Globalization.CultureInfo.InvariantCulture);
        }

        Assert.Equal(Run(nchw, string.Empty), Run(channelsLast, """, "runtime": { "memoryFormat": "channelsLast" }"""));
    }

    [Fact]
    public void Bf16InARunIsRefusedWithExitTwoNamingTheKey()
    {
        using var folder = new Support.ScratchFolder();
        string file = folder.File("e.json", Support.TinyExperiment.Json(extra: """, "runtime": { "precision": "bf16" }"""));
        var (code, _, error) = Support.CliProcess.Run(folder.Root, "run", file);
        Assert.Equal(2, code);
        Assert.Contains("runtime.precision", error.Replace(':', '.'));
    }
}
