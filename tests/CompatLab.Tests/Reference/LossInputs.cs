using static TorchSharp.torch;

namespace CompatLab.Tests.Reference;

/// <summary>
/// Seeded inputs for loss cases: old class means, and batches whose new and old embeddings cluster around
/// class-dependent directions with enough noise that losses and gradients are far from zero.
/// </summary>
internal sealed class LossInputs : IDisposable
{
    private readonly Generator generator;
    private readonly Tensor centres;

    public LossInputs(int classes, long width, long seed)
    {
        generator = new Generator((ulong)seed);
        Width = width;
        centres = randn(classes, Math.Max(width, 16), generator: generator).DetachFromDisposeScope();
        ClassMeans = centres.narrow(1, 0, width).mul(1.5).add(0.3).DetachFromDisposeScope();
    }

    public long Width { get; }

    /// <summary>Raw old class means [classes, width] (not normalised, with a shared offset as real means have).</summary>
    public Tensor ClassMeans { get; }

    public Tensor Matrix(long rows, long columns, double scale = 1.0) =>
        randn(rows, columns, generator: generator).mul(scale).DetachFromDisposeScope();

    /// <summary>A batch with the given labels; new embeddings <paramref name="newWidth"/> wide.</summary>
    public LossStep Step(long[] labels, long newWidth, double noise = 0.8)
    {
        using var scope = NewDisposeScope();
        Tensor rows = centres.index_select(0, tensor(labels));
        Tensor fresh = rows.narrow(1, 0, Math.Min(newWidth, rows.shape[1]));
        if (newWidth > fresh.shape[1])
        {
            fresh = cat([fresh, zeros(labels.Length, newWidth - fresh.shape[1])], 1);
        }

        Tensor newEmbeddings = fresh.add(randn(labels.Length, newWidth, generator: generator).mul(noise));
        Tensor oldEmbeddings = rows.narrow(1, 0, Width).mul(1.5).add(0.3).add(randn(labels.Length, Width, generator: generator).mul(noise));
        Tensor classifier = randn(ClassMeans.shape[0], newWidth, generator: generator);
        return new LossStep(labels, newEmbeddings.DetachFromDisposeScope(), oldEmbeddings.DetachFromDisposeScope(), classifier.DetachFromDisposeScope());
    }

    public void Dispose()
    {
        generator.Dispose();
        centres.Dispose();
        ClassMeans.Dispose();
    }
}
