namespace CompatLab.Abstractions.Hosting;

/// <summary>
/// Seeds derived from the run's seed, one independent stream per purpose: the same run seed and purpose always
/// give the same value, different purposes unrelated values. A plugin asks for its own purpose (e.g. its name)
/// instead of taking the run seed and adding to it.
/// </summary>
public interface ISeedStreams
{
    /// <summary>The run's seed, as configured.</summary>
    int RunSeed { get; }

    /// <summary>A 64-bit seed for <paramref name="purpose"/> (e.g. for a torch generator).</summary>
    long Seed(string purpose);

    /// <summary>A non-negative 31-bit seed for <paramref name="purpose"/> (e.g. for <see cref="Random"/>).</summary>
    int IntSeed(string purpose);
}
