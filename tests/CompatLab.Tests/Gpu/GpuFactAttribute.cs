using TorchSharp;
using Xunit;

namespace CompatLab.Tests.Gpu;

/// <summary>
/// A test that needs CUDA: it runs where this test process sees a CUDA device and is skipped, visibly, elsewhere
/// (the one skip the project allows). On a machine with a GPU but no .NET, `compatlab selftest gpu` runs the same
/// checks (CompatLab.Cli.SelfTest.GpuChecks).
/// </summary>
public sealed class GpuFactAttribute : FactAttribute
{
    public const string NoDevice = "no CUDA device: this process runs on a libtorch without CUDA or sees no GPU (GPU category; bench/gpu/run.sh runs it on a GPU machine)";

    public GpuFactAttribute()
    {
        if (!CudaPresent.Value)
        {
            Skip = NoDevice;
        }
    }

    private static readonly Lazy<bool> CudaPresent = new(() =>
    {
        try
        {
            return torch.cuda.is_available();
        }
        catch (Exception e) when (e is InvalidOperationException or NotSupportedException or DllNotFoundException)
        {
            return false;
        }
    });
}
