using static TorchSharp.torch;

namespace CompatLab.Sdk.State;

/// <summary>
/// Owns what a loss's SaveState hands out. The host writes the tensors into a checkpoint and drops the dictionary
/// without disposing it, so the loss disposes each snapshot when it makes the next one or is itself disposed.
/// </summary>
public sealed class StateSnapshots : IDisposable
{
    private Dictionary<string, Tensor>? current;

    /// <summary>Takes ownership of <paramref name="snapshot"/>, releasing the previous one.</summary>
    public IReadOnlyDictionary<string, Tensor> Keep(Dictionary<string, Tensor> snapshot)
    {
        Dispose();
        current = snapshot;
        return snapshot;
    }

    public void Dispose()
    {
        foreach (Tensor tensor in current?.Values ?? Enumerable.Empty<Tensor>())
        {
            tensor.Dispose();
        }

        current = null;
    }
}
