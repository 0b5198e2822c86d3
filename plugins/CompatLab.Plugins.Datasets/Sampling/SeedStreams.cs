using static TorchSharp.torch;

namespace CompatLab.Plugins.Datasets.Sampling;

/// <summary>Makes a torch generator for one <see cref="RandomStream"/> of a seed, independent of torch's global seed.</summary>
internal static class SeedStreams
{
    public static Generator Create(int seed, RandomStream stream) => new(Mix(((ulong)(uint)seed << 8) | (ulong)stream));

    // SplitMix64's finaliser: nearby (seed, stream) pairs give unrelated generator seeds.
    private static ulong Mix(ulong value)
    {
        value += 0x9E3779B97F4A7C15UL;
        value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9UL;
        value = (value ^ (value >> 27)) * 0x94D049BB133111EBUL;
        return value ^ (value >> 31);
    }
}
