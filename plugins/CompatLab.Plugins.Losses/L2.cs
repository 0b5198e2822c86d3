using CompatLab.Abstractions.Losses;
using CompatLab.Abstractions.Plugins;
using CompatLab.Sdk.Losses;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Losses;

/// <summary>Feature regression: each normalised new embedding is pulled onto the normalised old embedding of the same image.</summary>
[CompatLabPlugin(
    PluginKind.CompatibilityLoss,
    "l2",
    Description = "Feature regression: mean over the batch of ||norm(phi_n(x)) - norm(phi_o(x))||^2.")]
public sealed class L2 : CompatibilityLoss
{
    public L2()
        : base("l2")
    {
    }

    protected override Tensor Loss(CompatibilityBatch batch)
    {
        (Tensor newDirections, Tensor oldDirections) = PairedDirections(batch);
        return newDirections.sub(oldDirections).pow(2).sum(1).mean();
    }
}
