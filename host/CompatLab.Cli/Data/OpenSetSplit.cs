namespace CompatLab.Cli.Data;

/// <summary>
/// Which classes an open-set protocol holds out of training: round(fraction * classes) of them (at least one, and
/// at least one class left to train on), drawn without replacement by a seeded shuffle. Their test-split images
/// become queries and their training-split images the gallery; the other classes' training images are for training.
/// </summary>
public sealed class OpenSetSplit(double fraction, int seed)
{
    public IReadOnlySet<int> HeldOutClasses(int classCount)
    {
        if (classCount < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(classCount), $"An open-set split needs at least 2 classes, got {classCount}.");
        }

        int heldOut = Math.Clamp((int)Math.Round(fraction * classCount, MidpointRounding.AwayFromZero), 1, classCount - 1);
        int[] order = Enumerable.Range(0, classCount).ToArray();
        new Random(seed).Shuffle(order);
        return order.Take(heldOut).ToHashSet();
    }

    /// <summary>The role of an image of class <paramref name="label"/>, or null when the protocol does not use it.</summary>
    public static string? Role(IReadOnlySet<int> heldOut, int label, bool fromTestSplit) =>
        heldOut.Contains(label) ? (fromTestSplit ? "query" : "gallery") : (fromTestSplit ? null : "train");
}
