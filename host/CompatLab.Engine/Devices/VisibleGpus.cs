using System.Globalization;
using TorchSharp;

namespace CompatLab.Engine.Devices;

/// <summary>
/// The GPUs this process may use: how many the loaded libtorch counts (CUDA_VISIBLE_DEVICES already applied) and the
/// CUDA_VISIBLE_DEVICES entries behind them, so that a child process can be handed one of them by the id the driver
/// knows it by (an index or a GPU UUID), not by this process's renumbering.
/// </summary>
public sealed record VisibleGpus(int Count, IReadOnlyList<string> VisibleIds)
{
    public const string Variable = "CUDA_VISIBLE_DEVICES";

    /// <summary>Set for a matrix worker: the GPU it was given, in the coordinator's numbering (e.g. cuda:3), for the cell's records.</summary>
    public const string WorkerGpuVariable = "COMPATLAB_WORKER_GPU";

    public static VisibleGpus Of(int count, string? cudaVisibleDevices) =>
        new(count, cudaVisibleDevices?.Split(',', StringSplitOptions.TrimEntries) ?? []);

    /// <summary>Asks the loaded libtorch (0 on the CPU libtorch); call it only after Runtime.RuntimeSetup chose one.</summary>
    public static VisibleGpus FromLoadedLibtorch() => Of(torch.cuda.device_count(), Environment.GetEnvironmentVariable(Variable));

    /// <summary>What to put in a child's CUDA_VISIBLE_DEVICES so that it sees this process's GPU <paramref name="index"/> as its only one.</summary>
    public string ChildId(int index) =>
        index < VisibleIds.Count && VisibleIds[index].Length > 0 ? VisibleIds[index] : index.ToString(CultureInfo.InvariantCulture);

    public override string ToString() =>
        $"{Count} visible GPU{(Count == 1 ? string.Empty : "s")}"
        + (VisibleIds.Count > 0 ? $" ({Variable}={string.Join(',', VisibleIds)})" : string.Empty);
}
