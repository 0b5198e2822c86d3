using CompatLab.Abstractions;

namespace CompatLab.Engine.Pruning;

/// <summary>How many weights a capacity keeps.</summary>
public static class KeepCounts
{
    /// <summary>round(c * n), halves rounded up, and at least one.</summary>
    public static long ForCapacity(long weights, double capacity)
    {
        ThrowIfInvalid(capacity);
        long kept = (long)Math.Round(capacity * weights, MidpointRounding.AwayFromZero);
        return Math.Clamp(kept, 1, weights);
    }

    /// <summary>What every layer keeps under global scope whatever the capacity: 2% of its weights rounded up, at least one.</summary>
    public static long GlobalFloor(long weights) => Math.Max(1, ((2 * weights) + 99) / 100);

    public static void ThrowIfInvalid(double capacity)
    {
        if (!double.IsFinite(capacity) || capacity <= 0 || capacity > 1)
        {
            throw new CompatLabUserException($"capacity {capacity} is not a fraction of weights to keep; expected a number in (0, 1]");
        }
    }
}
