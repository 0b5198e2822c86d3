using System.Globalization;

namespace CompatLab.Engine.Runtime;

/// <summary>
/// Threads one run may use so that the processes of a matrix never oversubscribe the machine: the cores are shared
/// out evenly over the worker processes (--workers), max(1, cores / workers) each, for torch's intra-op threads
/// (unless the experiment's threads key names a number) and for a dataset's decode workers alike.
/// </summary>
public sealed record ThreadBudget(int Torch, int Decode, int Cores, int Workers)
{
    /// <param name="configuredTorch">The experiment's threads key: 0 for the share, else that many torch threads.</param>
    /// <param name="workers">Processes running cells at once on this machine (1 outside a local matrix).</param>
    /// <param name="cores">Cores this process may run on.</param>
    public static ThreadBudget For(int configuredTorch, int workers, int cores)
    {
        workers = Math.Max(1, workers);
        int share = Math.Max(1, cores / workers);
        return new ThreadBudget(configuredTorch > 0 ? configuredTorch : share, share, cores, workers);
    }

    /// <summary>This process's budget: <see cref="Environment.ProcessorCount"/> honours CPU affinity and container limits.</summary>
    public static ThreadBudget ForThisProcess(int configuredTorch, int workers) => For(configuredTorch, workers, Environment.ProcessorCount);

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"threads: {Torch} torch, {Decode} decode ({Cores} core{(Cores == 1 ? string.Empty : "s")}, {Workers} worker{(Workers == 1 ? string.Empty : "s")})");
}
