using CompatLab.Abstractions.Models;
using static TorchSharp.torch;

namespace CompatLab.Abstractions.Training;

/// <summary>Scores every weight of a maskable layer; the host keeps the top fraction (per layer or globally).</summary>
public interface IPruningCriterion
{
    /// <summary>A tensor of the weight's shape; larger means more worth keeping.</summary>
    Tensor Score(IMaskableLayer layer, PruningContext context);
}

/// <summary>
/// The seed for criteria that draw noise, and a way to fill every maskable weight's <c>grad</c> with the loss
/// gradient accumulated over the given number of training batches (for gradient-based criteria such as Taylor).
/// </summary>
public sealed class PruningContext
{
    private readonly Action<int> accumulateGradients;

    public PruningContext(int seed, Action<int> accumulateGradients)
    {
        Seed = seed;
        this.accumulateGradients = accumulateGradients;
    }

    public int Seed { get; }

    public void AccumulateGradients(int batches) => accumulateGradients(batches);
}
