using System.Globalization;
using CompatLab.Engine.Devices;

namespace CompatLab.Engine.Runs;

/// <summary>
/// The device a run trained on, as its manifest records it: the experiment's device as this process used it, the GPU
/// a matrix gave its worker (in the coordinator's numbering, e.g. cuda:3; the worker sees it as its only GPU through
/// CUDA_VISIBLE_DEVICES), and the GPU's name.
/// </summary>
public sealed record RunDevice(string Device, string? WorkerGpu, string? CudaVisibleDevices, string? GpuName)
{
    /// <summary>What this process runs <paramref name="device"/> on, read from the environment the matrix set.</summary>
    /// <param name="environment">Looks up an environment variable; null: this process's environment.</param>
    public static RunDevice Current(string device, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        bool cuda = device.StartsWith("cuda", StringComparison.Ordinal);
        string? name = null;
        int index = 0;
        if (cuda && Runtime.LibTorchActivation.Current.HasCuda && (device == "cuda" || int.TryParse(device["cuda:".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out index)))
        {
            name = CudaRuntimeInfo.DeviceName(index);
        }

        return new RunDevice(
            device,
            cuda ? environment(VisibleGpus.WorkerGpuVariable) : null,
            cuda ? environment(VisibleGpus.Variable) : null,
            name);
    }

    /// <summary>The device as summaries name it: the GPU the matrix chose, else the configured device.</summary>
    public string Label => WorkerGpu ?? Device;

    public override string ToString() =>
        $"device: {Label}"
        + (CudaVisibleDevices is null ? string.Empty : $" ({VisibleGpus.Variable}={CudaVisibleDevices})")
        + (GpuName is null ? string.Empty : $", {GpuName}");
}
