using CompatLab.Abstractions.Losses;
using CompatLab.Abstractions.Plugins;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Losses;

/// <summary>Point-to-point InfoNCE: a new embedding should be nearer its own image's old embedding than other classes' old embeddings.</summary>
[CompatLabPlugin(
    PluginKind.CompatibilityLoss,
    "contrastive",
    Description = "InfoNCE with the old embedding of the same image as positive and old embeddings of other-label batch samples as negatives.",
    Options = typeof(InfoNceOptions))]
public sealed class Contrastive : ICompatibilityLoss
{
    private readonly InfoNceOptions options;

    public Contrastive(InfoNceOptions options)
    {
        OptionChecks.ThrowIfInvalid(options, "contrastive");
        this.options = options;
    }

    public bool NeedsOldEmbeddings => true;

    public void Prepare(CompatibilityContext context)
    {
    }

    public Tensor Compute(CompatibilityBatch batch)
    {
        using var scope = NewDisposeScope();
        (Tensor newDirections, Tensor oldDirections) = PairedEmbeddings.Directions(batch, "contrastive");
        return PointToPointInfoNce.Loss(newDirections, oldDirections, batch.Labels, options.Temperature, newToNewNegatives: false)
            .MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
    }
}
