using static TorchSharp.torch;

namespace CompatLab.Testing;

/// <summary>
/// What the kit feeds a plugin. Defaults are tiny (batch 4, 3x32x32 images, embedding 8, 4 classes) so a check runs
/// in well under a second for cheap plugins; raise the input side for backbones that need more pixels.
/// </summary>
public sealed class ConformanceSettings
{
    public static ConformanceSettings Default { get; } = new();

    /// <summary>Option values by property name (any case), set on a fresh options object before each construction.</summary>
    public IReadOnlyDictionary<string, object?> Options { get; init; } = new Dictionary<string, object?>();

    /// <summary>
    /// Option values that must each be refused with a message naming the option. The kit adds NaN for every
    /// floating-point option itself; give the values only you know are wrong (0 classes, a negative count).
    /// </summary>
    public IReadOnlyDictionary<string, object?> BadOptions { get; init; } = new Dictionary<string, object?>();

    /// <summary>Objects handed to constructor parameters other than the options (host services), matched by type.</summary>
    public IReadOnlyList<object> Services { get; init; } = [];

    public int Seed { get; init; } = 1;

    /// <summary>Steps of the leak check (the first is a warm-up that may create lasting state). Fewer for big models.</summary>
    public int LeakSteps { get; init; } = 100;

    /// <summary>Steps compared by the seeded-repeat check.</summary>
    public int RepeatSteps { get; init; } = 3;

    /// <summary>
    /// The device whose use is checked (inputs there, outputs must be there too); null means CUDA when present, else
    /// the check is skipped. The shape-only "meta" device works for plugins whose operators all have meta kernels.
    /// </summary>
    public Device? Device { get; init; }

    /// <summary>True for a loss that adds no compatibility term on purpose; skips the "differs from baseline" check.</summary>
    public bool IsBaseline { get; init; }

    /// <summary>
    /// Build a backbone only once: the seeded-repeat check, which needs a second build, is then skipped. For big
    /// trunks whose construction costs seconds, when a smaller member of the family is repeat-checked.
    /// </summary>
    public bool SingleBuild { get; init; }

    public int BatchSize { get; init; } = 4;

    public long InputChannels { get; init; } = 3;

    public long InputSide { get; init; } = 32;

    public long EmbeddingDim { get; init; } = 8;

    public int Classes { get; init; } = 4;

    /// <summary>Where trackers may write; null means a fresh temporary folder, deleted afterwards.</summary>
    public string? WorkingFolder { get; init; }

    internal Device? CheckedDevice => Device ?? (cuda.is_available() ? CUDA : null);
}
