using CompatLab.Abstractions.Losses;
using CompatLab.Abstractions.Plugins;
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
public sealed class HotRefresh : ICompatibilityLoss
{
    private readonly InfoNceOptions options;

    public HotRefresh(InfoNceOptions options)
    {
        OptionChecks.ThrowIfInvalid(options, "hot-refresh");
        this.options = options;
    }

    public bool NeedsOldEmbeddings => true;

    public void Prepare(CompatibilityContext context)
    {
    }

    public Tensor Compute(CompatibilityBatch batch)
    {
        using var scope = NewDisposeScope();
        (Tensor newDirections, Tensor oldDirections) = PairedEmbeddings.Directions(batch, "hot-refresh");
        return PointToPointInfoNce.Loss(newDirections, oldDirections, batch.Labels, options.Temperature, newToNewNegatives: true)
            .MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
    }
}
