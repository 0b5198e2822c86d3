using CompatLab.Engine.Configuration;
using TorchSharp;

namespace CompatLab.Engine.Runs;

/// <summary>The device's check against this process: cuda only on a libtorch that has it (the values' ranges are checked by the records).</summary>
public static class RuntimeChecks
{
    /// <summary>What decides whether cuda works is the libtorch this process loaded (Runtime.RuntimeSetup chose it).</summary>
    public static void Check(ExperimentSpec spec, ConfigBinder binder)
    {
        if (!spec.Device.StartsWith("cuda", StringComparison.Ordinal))
        {
            return;
        }

        var loaded = Runtime.LibTorchActivation.Current;
        if (!loaded.HasCuda)
        {
            binder.AddProblem("device", $"\"{spec.Device}\" asked for, but this process runs on {loaded.Describe()}, which has no CUDA; set runtime.libtorch or COMPATLAB_LIBTORCH to a CUDA libtorch (docs/gpu.md)");
        }
        else if (!torch.cuda.is_available())
        {
            binder.AddProblem("device", $"\"{spec.Device}\" asked for, and {loaded.Describe()} is loaded, but it sees no CUDA device (driver missing, or CUDA_VISIBLE_DEVICES empty)");
        }
        else if (spec.Device.StartsWith("cuda:", StringComparison.Ordinal)
            && (!int.TryParse(spec.Device["cuda:".Length..], out int index) || index < 0 || index >= torch.cuda.device_count()))
        {
            binder.AddProblem("device", $"\"{spec.Device}\": this machine has {torch.cuda.device_count()} visible CUDA device(s), numbered from 0");
        }
    }
}
