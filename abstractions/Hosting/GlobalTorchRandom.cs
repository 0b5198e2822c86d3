using static TorchSharp.torch;

namespace CompatLab.Abstractions.Hosting;

/// <summary>
/// Module constructors draw their initial weights from torch's one process-wide generator, so seeding it and then
/// building is only reproducible when no other thread seeds or draws in between (two runs of a matrix, or tests, built
/// side by side). Every seed-then-build in CompatLab goes through this one gate; the host and the conformance kit both
/// reach it, which is why it lives in the contract assembly.
/// </summary>
public static class GlobalTorchRandom
{
    private static readonly object Gate = new();

    /// <summary>Seeds torch's global generator with <paramref name="seed"/> and runs <paramref name="build"/> while no other caller of the gate can touch it.</summary>
    public static T Seeded<T>(long seed, Func<T> build)
    {
        ArgumentNullException.ThrowIfNull(build);
        lock (Gate)
        {
            random.manual_seed(seed);
            return build();
        }
    }
}
