using CompatLab.Engine.Configuration;
using TorchSharp;

namespace CompatLab.Engine.Runs;

/// <summary>The device and runtime section's checks: values in range, and cuda only on a libtorch that has it.</summary>
public static class RuntimeChecks
{
    /// <summary>What decides whether cuda works is the libtorch this process loaded (Runtime.RuntimeSetup chose it).</summary>
    public static void Check(ExperimentSpec spec, ConfigBinder binder)
    {
        var runtime = spec.Runtime ?? new RuntimeSpec();
        if (!RuntimeSpec.Precisions.Contains(runtime.Precision))
        {
            binder.AddProblem("runtime:precision", $"expected one of {string.Join(", ", RuntimeSpec.Precisions)}, got \"{runtime.Precision}\"");
        }

        else if (runtime.Precision == "bf16")
        {
            // A bf16 step needs fp32 master weights beside a bf16 working copy of the model, which runs do not
            // keep yet; the bench and the self-test measure bf16 (compatlab bench gpu-step --precision bf16).
            binder.AddProblem("runtime:precision", "bf16 training is not available in runs yet (only in 'compatlab bench gpu-step'); use fp32");
        }

        if (!RuntimeSpec.MemoryFormats.Contains(runtime.MemoryFormat))
        {
            binder.AddProblem("runtime:memoryFormat", $"expected one of {string.Join(", ", RuntimeSpec.MemoryFormats)}, got \"{runtime.MemoryFormat}\"");
        }

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
