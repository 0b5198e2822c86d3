using CompatLab.Abstractions.Losses;
using CompatLab.Abstractions.Plugins;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Losses;

/// <summary>Feature regression: each normalised new embedding is pulled onto the normalised old embedding of the same image.</summary>
[CompatLabPlugin(
    PluginKind.CompatibilityLoss,
    "l2",
    Description = "Feature regression: mean over the batch of ||norm(phi_n(x)) - norm(phi_o(x))||^2.")]
public sealed class L2 : ICompatibilityLoss
{
    public bool NeedsOldEmbeddings => true;

    public void Prepare(CompatibilityContext context)
    {
    }

    public Tensor Compute(CompatibilityBatch batch)
    {
        using var scope = NewDisposeScope();
        (Tensor newDirections, Tensor oldDirections) = PairedEmbeddings.Directions(batch, "l2");
        return newDirections.sub(oldDirections).pow(2).sum(1).mean().MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
    }
}
