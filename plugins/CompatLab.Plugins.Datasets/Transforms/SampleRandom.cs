namespace CompatLab.Plugins.Datasets.Transforms;

/// <summary>
/// The random numbers of one sample's augmentation, drawn from (run seed, epoch, sample index) alone: a sample is
/// augmented the same whatever the batch it is in, the order of loading or the number of decode workers.
/// SplitMix64 is small, fast and passes BigCrush; nothing here needs more.
/// </summary>
public sealed class SampleRandom
{
    private ulong state;

    public SampleRandom(int seed, int epoch, long sampleIndex)
    {
        state = Mix(Mix(Mix((ulong)(uint)seed) ^ (uint)epoch) ^ (ulong)sampleIndex);
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [low, high).</summary>
    public double Uniform(double low, double high) => low + (NextDouble() * (high - low));

    /// <summary>Uniform whole number in [low, highExclusive), as torch.randint(low, high).</summary>
    public int Integer(int low, int highExclusive) => low + (int)(NextDouble() * (highExclusive - low));

    private ulong Next()
    {
        state += 0x9E3779B97F4A7C15UL;
        return Mix(state);
    }

    private static ulong Mix(ulong value)
    {
        value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9UL;
        value = (value ^ (value >> 27)) * 0x94D049BB133111EBUL;
        return value ^ (value >> 31);
    }
}
