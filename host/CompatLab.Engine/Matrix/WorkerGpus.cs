using System.Globalization;
using CompatLab.Abstractions;
using CompatLab.Engine.Devices;
using CompatLab.Engine.Runs;

namespace CompatLab.Engine.Matrix;

/// <summary>
/// Which GPU each local worker gets: worker slot i takes GPU Indices[i mod Indices.Count], where the list is --gpus
/// or every visible GPU. Only cells whose device is plain <c>cuda</c> are spread; the worker is started with
/// CUDA_VISIBLE_DEVICES naming that one GPU, so the cell's own configuration (and with it its content hash and run
/// folder) stays the same whichever GPU runs it, and the process never opens a context on the other GPUs.
/// </summary>
public sealed class WorkerGpus
{
    private readonly VisibleGpus visible;

    private WorkerGpus(IReadOnlyList<int> indices, VisibleGpus visible)
    {
        Indices = indices;
        this.visible = visible;
    }

    public IReadOnlyList<int> Indices { get; }

    public static bool Spreads(ResolvedExperiment cell) => cell.Spec.Device == "cuda";

    /// <summary>
    /// The plan for these cells, or null when none runs on cuda (and no --gpus was given). <paramref name="visible"/> is
    /// asked only when a plan is needed: the seam through which tests fake a machine with several GPUs.
    /// </summary>
    /// <exception cref="CompatLabUserException">--gpus names a GPU that is not visible, or no cell can use it.</exception>
    public static WorkerGpus? Plan(IReadOnlyList<ResolvedExperiment> cells, IReadOnlyList<int>? requested, Func<VisibleGpus> visible)
    {
        if (requested is null)
        {
            if (!cells.Any(Spreads))
            {
                return null;
            }

            var all = visible();
            return all.Count == 0 ? null : new WorkerGpus(Enumerable.Range(0, all.Count).ToList(), all);
        }

        string option = $"--gpus {string.Join(',', requested)}";
        if (cells.FirstOrDefault(c => c.Spec.Device.StartsWith("cuda:", StringComparison.Ordinal)) is { } named)
        {
            throw new CompatLabUserException($"{option}: cell '{named.Label}' names its own GPU (device \"{named.Spec.Device}\"); --gpus spreads cells whose device is \"cuda\" over the GPUs it lists, so set device to cuda");
        }

        if (!cells.Any(Spreads))
        {
            string devices = string.Join(", ", cells.Select(c => c.Spec.Device).Distinct().Select(d => $"\"{d}\""));
            throw new CompatLabUserException($"{option}: no cell runs on cuda (device {devices}); --gpus spreads cuda experiments over GPUs (set device to cuda, or leave --gpus out)");
        }

        var gpus = visible();
        if (requested.FirstOrDefault(i => i >= gpus.Count, -1) is var missing and >= 0)
        {
            throw new CompatLabUserException($"{option}: there is no GPU {missing}: the loaded libtorch sees {gpus}, numbered from 0");
        }

        return new WorkerGpus(requested, gpus);
    }

    /// <summary>Reads --gpus: GPU indices from 0, comma-separated, each once.</summary>
    public static IReadOnlyList<int> ParseList(string text)
    {
        var indices = new List<int>();
        foreach (string entry in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(entry, NumberStyles.None, CultureInfo.InvariantCulture, out int index))
            {
                throw new CompatLabUserException($"--gpus {text}: '{entry}' is not a GPU index; expected whole numbers from 0 separated by commas, e.g. --gpus 0,1");
            }

            if (indices.Contains(index))
            {
                throw new CompatLabUserException($"--gpus {text}: GPU {index} is listed twice; each GPU once (workers take them in turn)");
            }

            indices.Add(index);
        }

        return indices;
    }

    /// <summary>The GPU index worker slot <paramref name="slot"/> uses for its cuda cells.</summary>
    public int ForSlot(int slot) => Indices[slot % Indices.Count];

    /// <summary>Gives a cuda cell's worker its slot's GPU; returns the device it runs on as the coordinator names it.</summary>
    public string? Assign(ResolvedExperiment cell, int slot, IDictionary<string, string?> environment)
    {
        if (!Spreads(cell))
        {
            return null;
        }

        int index = ForSlot(slot);
        string device = "cuda:" + index.ToString(CultureInfo.InvariantCulture);
        environment[VisibleGpus.Variable] = visible.ChildId(index);
        environment[VisibleGpus.WorkerGpuVariable] = device;
        return device;
    }
}
