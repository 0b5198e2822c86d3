using CompatLab.Abstractions.Losses;
using CompatLab.Abstractions.Plugins;
using CompatLab.Sdk.Losses;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Losses;

/// <summary>Point-to-point InfoNCE: a new embedding should be nearer its own image's old embedding than other classes' old embeddings.</summary>
[CompatLabPlugin(
    PluginKind.CompatibilityLoss,
    "contrastive",
    Description = "InfoNCE with the old embedding of the same image as positive and old embeddings of other-label batch samples as negatives.",
    Options = typeof(InfoNceOptions))]
public sealed class Contrastive : CompatibilityLoss
{
    private readonly InfoNceOptions options;

    public Contrastive(InfoNceOptions options)
        : base("contrastive", options)
    {
        this.options = options;
    }

    protected override Tensor Loss(CompatibilityBatch batch)
    {
        (Tensor newDirections, Tensor oldDirections) = PairedDirections(batch);
        return PointToPointInfoNce.Loss(newDirections, oldDirections, batch.Labels, options.Temperature, newToNewNegatives: false);
    }
}
