namespace CompatLab.Abstractions.Data;

/// <summary>
/// Loads a dataset once into tensors on the CPU. Bad or missing files are reported with
/// <see cref="CompatLabUserException"/> naming the file and what was wrong.
/// </summary>
public interface IDatasetProvider
{
    DatasetBundle Load(DatasetLoadContext context);
}

/// <summary>What the host tells a dataset provider: the run seed (for generated or sampled data).</summary>
public sealed record DatasetLoadContext(int Seed)
{
    /// <summary>
    /// Threads a provider may use to decode samples (contract 1.3): the host sizes it from the cores and the matrix's
    /// --workers so that processes never oversubscribe the machine. Hosts that do not set it leave one per core.
    /// </summary>
    public int DecodeWorkers { get; init; } = Math.Max(1, Environment.ProcessorCount);
}
