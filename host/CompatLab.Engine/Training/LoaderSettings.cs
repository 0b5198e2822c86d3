namespace CompatLab.Engine.Training;

/// <summary>
/// How a stage gets its batches: <see cref="SampleSeed"/> seeds the sets' augmentation (the run seed's "samples"
/// stream), and <see cref="Prefetch"/> batches are loaded ahead on a background thread (0: each batch is loaded
/// inline, right before its step).
/// </summary>
public sealed record LoaderSettings(int SampleSeed, int Prefetch)
{
    public const int DefaultPrefetch = Configuration.LoaderSpec.DefaultPrefetch;

    /// <summary>The seed stream of the sets' augmentation, derived from the run seed.</summary>
    public const string SampleSeedStream = "samples";

    /// <summary>A run seed's settings: its "samples" seed stream and <paramref name="prefetch"/> batches ahead.</summary>
    public static LoaderSettings For(int runSeed, int prefetch = DefaultPrefetch) =>
        new(SeedDerivation.DeriveInt(runSeed, SampleSeedStream), prefetch);
}
