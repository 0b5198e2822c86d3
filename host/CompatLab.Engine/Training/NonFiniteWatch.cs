using static TorchSharp.torch;

namespace CompatLab.Engine.Training;

/// <summary>
/// Remembers, on the device, the first step at which any of a step's watched values (its loss terms, a gradient
/// norm) was NaN or infinite, and which of them. Observing queues a few device operations and never waits for the
/// device, so a GPU keeps running ahead; only <see cref="Read"/> synchronises, and the trainer calls it where it
/// reads the device anyway (logging, checkpoints) or on the CPU, where reading costs nothing.
/// </summary>
public sealed class NonFiniteWatch : IDisposable
{
    private readonly IReadOnlyList<(string Term, string Source)> terms;
    private readonly Tensor firstStep;
    private readonly Tensor badTerms;

    /// <param name="terms">Each watched value's metric name and what produced it (e.g. "loss plugin 'bct'").</param>
    public NonFiniteWatch(IReadOnlyList<(string Term, string Source)> terms, Device device)
    {
        this.terms = terms;
        firstStep = full(1, -1L, dtype: ScalarType.Int64, device: device);
        badTerms = zeros(terms.Count, dtype: ScalarType.Bool, device: device);
    }

    /// <summary>Notes the values of one step (one per term, in order); <paramref name="step"/> is the 1-based step count.</summary>
    public void Observe(Tensor values, long step)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var bad = values.detach().isfinite().logical_not();
        var first = bad.any().logical_and(firstStep.lt(0));
        firstStep.masked_fill_(first, step);
        badTerms.logical_or_(bad.logical_and(first));
    }

    /// <summary>The first step with a non-finite value, or null; waits for the device.</summary>
    public NonFiniteStep? Read()
    {
        long step = firstStep.cpu().item<long>();
        if (step < 0)
        {
            return null;
        }

        var bad = badTerms.cpu().data<bool>().ToArray();
        var named = terms.Where((_, i) => bad[i]).ToList();
        return new NonFiniteStep(step, string.Join(", ", named.Select(t => t.Term)), string.Join(", ", named.Select(t => t.Source).Distinct()));
    }

    public void Dispose()
    {
        firstStep.Dispose();
        badTerms.Dispose();
    }
}

/// <summary>The first step at which training produced a NaN or infinite value: which terms, and what produced them.</summary>
public sealed record NonFiniteStep(long Step, string Terms, string Sources);
