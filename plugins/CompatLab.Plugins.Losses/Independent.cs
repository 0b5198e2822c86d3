using CompatLab.Abstractions.Losses;
using CompatLab.Abstractions.Plugins;
using CompatLab.Sdk.Losses;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Losses;

/// <summary>No compatibility term; trains the reference "new*" model that update-gain metrics compare against.</summary>
[CompatLabPlugin(
    PluginKind.CompatibilityLoss,
    "independent",
    Description = "No compatibility term (L_comp = 0): trains the reference new* model.",
    UpdateGainReference = true)]
public sealed class Independent : CompatibilityLoss
{
    public Independent()
        : base("independent")
    {
    }

    public override bool NeedsOldEmbeddings => false;

    /// <summary>A scalar 0 on the embeddings' device and dtype, outside the graph: it adds nothing to any gradient.</summary>
    protected override Tensor Loss(CompatibilityBatch batch) =>
        zeros([], dtype: batch.NewEmbeddings.dtype, device: batch.NewEmbeddings.device);
}
