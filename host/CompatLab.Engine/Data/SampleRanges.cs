using CompatLab.Abstractions.Data;
using static TorchSharp.torch;

namespace CompatLab.Engine.Data;

/// <summary>How the engine loads samples: consecutive ranges for passes that walk a set in order, and one call at a time per set.</summary>
public static class SampleRanges
{
    /// <summary>The samples [<paramref name="start"/>, <paramref name="start"/> + <paramref name="count"/>), made in the caller's dispose scope.</summary>
    public static Tensor LoadRange(this ISampleSet set, long start, long count, SamplePass pass)
    {
        var indices = new long[count];
        for (long i = 0; i < count; i++)
        {
            indices[i] = start + i;
        }

        return set.LoadSerialized(indices, pass);
    }

    /// <summary>
    /// <see cref="ISampleSet.Load"/>, never at the same time as another engine call on the same set: the contract
    /// lets a set assume one call at a time, while a prefetching trainer and a loss asking for class means in the
    /// middle of a stage may both read the stage's set.
    /// </summary>
    public static Tensor LoadSerialized(this ISampleSet set, ReadOnlySpan<long> indices, SamplePass pass)
    {
        lock (set)
        {
            return set.Load(indices, pass);
        }
    }
}
