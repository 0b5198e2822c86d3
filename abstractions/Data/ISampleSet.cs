using static TorchSharp.torch;

namespace CompatLab.Abstractions.Data;

/// <summary>
/// Samples by index (contract 1.3): the host asks for batches and never needs every image in memory. A set held as
/// one tensor (<see cref="LabelledImages"/>) and a set that decodes files on demand look the same to the host.
/// </summary>
public interface ISampleSet : IDisposable
{
    /// <summary>Number of samples.</summary>
    long Count { get; }

    /// <summary>int64 [Count] on the CPU: class ids in [0, number of classes). Owned by the set.</summary>
    Tensor Labels { get; }

    /// <summary>[C, H, W] of every sample <see cref="Load"/> returns.</summary>
    IReadOnlyList<long> SampleShape { get; }

    /// <summary>
    /// float32 [indices.Length, C, H, W] on the CPU, rows in the order of <paramref name="indices"/>, owned by the
    /// caller (made in the caller's dispose scope). An augmenting set seeds every sample's randomness from
    /// (pass.Seed, pass.Epoch, sample index) only, so a sample is the same whatever the batch, order or worker count.
    /// The host may call this from a background thread, but never twice at once on the same set.
    /// </summary>
    Tensor Load(ReadOnlySpan<long> indices, SamplePass pass);

    /// <summary>
    /// A digest of what the set holds (files and their contents, list, transforms) for run records, or null to let
    /// the host hash the samples themselves (cheap only for sets held in memory).
    /// </summary>
    string? ContentDigest => null;

    /// <summary>The samples at <paramref name="indices"/> (int64 [k], indices of this set) as a set of their own, owned by the caller.</summary>
    ISampleSet Subset(Tensor indices);
}

/// <summary>Why samples are loaded: the run seed and epoch that seed augmentation, and whether to augment at all (training) or not (evaluation).</summary>
public sealed record SamplePass(int Seed, int Epoch, bool Augment)
{
    /// <summary>Evaluation: no augmentation, so seed and epoch do not matter.</summary>
    public static SamplePass Evaluation { get; } = new(0, 0, false);
}
