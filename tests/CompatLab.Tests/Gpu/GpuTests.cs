using CompatLab.Cli.SelfTest;
using CompatLab.Tests.Support;
using Xunit;
using static TorchSharp.torch;

namespace CompatLab.Tests.Gpu;

/// <summary>The GPU category: the checks `compatlab selftest gpu` runs, on cuda.</summary>
[Trait("Category", "Gpu")]
public class GpuTests
{
    [GpuFact]
    public void TensorsOnTheGpuMatchTheCpu() => GpuChecks.TensorsMatchCpu(CUDA);

    [GpuFact]
    public void EveryLossAndBackboneTrainsOnTheGpu()
    {
        using var scratch = new ScratchFolder();
        GpuChecks.EveryLossAndBackboneRuns("cuda", scratch.Root, CancellationToken.None);
    }

    [GpuFact]
    public void PrunNetWithEveryIntegratorAndCriterionRunsOnTheGpu()
    {
        using var scratch = new ScratchFolder();
        GpuChecks.EveryIntegratorAndCriterionRuns("cuda", scratch.Root, CancellationToken.None);
    }

    [GpuFact]
    public void AnInterruptedRunResumesOnTheGpu()
    {
        using var scratch = new ScratchFolder();
        GpuChecks.ResumesOnDevice("cuda", scratch.Root, CancellationToken.None);
    }

    [GpuFact]
    public void Bf16ChannelsLastStepsRunOnTheGpu() => GpuChecks.Bf16ChannelsLastStepRuns(CUDA);
}
