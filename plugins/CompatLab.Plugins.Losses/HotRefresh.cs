using CompatLab.Abstractions.Losses;
using CompatLab.Abstractions.Plugins;
using CompatLab.Sdk.Losses;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Losses;

/// <summary>
/// Point-to-point InfoNCE whose negatives also include other classes' new embeddings, so the new space stays
/// separated from itself as well as from the old one.
/// </summary>
[CompatLabPlugin(
    PluginKind.CompatibilityLoss,
    "hot-refresh",
    Description = "InfoNCE as in contrastive, with new-to-new negatives (other-label batch samples) added to the denominator.",
    Options = typeof(InfoNceOptions))]
public sealed class HotRefresh : CompatibilityLoss
{
    private readonly InfoNceOptions options;

    public HotRefresh(InfoNceOptions options)
        : base("hot-refresh", options)
    {
        this.options = options;
    }

    protected override Tensor Loss(CompatibilityBatch batch)
    {
        (Tensor newDirections, Tensor oldDirections) = PairedDirections(batch);
        return PointToPointInfoNce.Loss(newDirections, oldDirections, batch.Labels, options.Temperature, newToNewNegatives: true);
    }
}
