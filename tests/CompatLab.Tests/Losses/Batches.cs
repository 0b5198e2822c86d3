using CompatLab.Abstractions.Losses;
using static TorchSharp.torch;

namespace CompatLab.Tests.Losses;

/// <summary>Compatibility batches for loss tests: hand-written ones, and seeded random ones for multi-step runs.</summary>
internal static class Batches
{
    public static CompatibilityBatch Of(long[] labels, Tensor newEmbeddings, Tensor? oldEmbeddings, long step = 0) =>
        new(tensor(labels), newEmbeddings, oldEmbeddings, step, Epoch: 0);

    /// <summary>A batch of <paramref name="size"/> samples over <paramref name="classes"/> classes, every class present
    /// once the batch is large enough; new and old embeddings are class-dependent offsets plus seeded noise.</summary>
    public static CompatibilityBatch Random(int classes, int size, long width, long seed, long step = 0)
    {
        using var generator = new Generator((ulong)seed);
        Tensor labels = arange(size, dtype: ScalarType.Int64).remainder(classes);
        Tensor centres = randn(classes, width, generator: generator);
        Tensor newEmbeddings = centres.index_select(0, labels).add(randn(size, width, generator: generator).mul(0.5));
        Tensor oldEmbeddings = centres.index_select(0, labels).mul(2).add(randn(size, width, generator: generator));
        Tensor classifier = randn(classes, width, generator: generator);
        return new(labels, newEmbeddings, oldEmbeddings, step, Epoch: 0) { NewClassifierWeight = classifier };
    }

    /// <summary>A tensor's rows as doubles, for reference arithmetic.</summary>
    public static double[][] ToRows(Tensor matrix)
    {
        float[] values = matrix.detach().cpu().data<float>().ToArray();
        long width = matrix.shape[1];
        return Enumerable.Range(0, (int)matrix.shape[0])
            .Select(r => values.Skip((int)(r * width)).Take((int)width).Select(v => (double)v).ToArray())
            .ToArray();
    }
}
