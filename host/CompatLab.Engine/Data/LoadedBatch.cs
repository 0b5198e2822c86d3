using static TorchSharp.torch;

namespace CompatLab.Engine.Data;

/// <summary>A loaded batch: its samples (owned by whoever holds it) and the indices they were loaded from.</summary>
public sealed record LoadedBatch(Tensor Samples, long[] Indices) : IDisposable
{
    public void Dispose() => Samples.Dispose();
}
