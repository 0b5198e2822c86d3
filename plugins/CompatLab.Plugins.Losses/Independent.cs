using CompatLab.Abstractions.Losses;
using CompatLab.Abstractions.Plugins;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Losses;

/// <summary>No compatibility term; trains the reference "new*" model that update-gain metrics compare against.</summary>
[CompatLabPlugin(
    PluginKind.CompatibilityLoss,
    "independent",
    Description = "No compatibility term (L_comp = 0): trains the reference new* model.",
    UpdateGainReference = true)]
public sealed class Independent : ICompatibilityLoss
{
    public bool NeedsOldEmbeddings => false;

    public void Prepare(CompatibilityContext context)
    {
    }

    /// <summary>A scalar 0 on the embeddings' device and dtype, outside the graph: it adds nothing to any gradient.</summary>
    public Tensor Compute(CompatibilityBatch batch) =>
        zeros([], dtype: batch.NewEmbeddings.dtype, device: batch.NewEmbeddings.device);

    public void Dispose()
    {
    }
}
