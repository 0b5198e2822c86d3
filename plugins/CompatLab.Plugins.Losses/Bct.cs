using CompatLab.Abstractions.Losses;
using CompatLab.Abstractions.Plugins;
using CompatLab.Plugins.Losses.Classifiers;

namespace CompatLab.Plugins.Losses;

/// <summary>BCT influence loss (Shen et al., CVPR 2020): the new embedding is classified by the frozen old classifier.</summary>
[CompatLabPlugin(
    PluginKind.CompatibilityLoss,
    "bct",
    Description = "Influence loss: cross-entropy of the new embedding under the frozen old classifier, with synthesised columns (old class means) for new classes.",
    Options = typeof(BctOptions))]
public sealed class Bct : ClassifierAlignmentLoss
{
    private readonly BctOptions options;

    public Bct(BctOptions options)
        : base("bct", options)
    {
        this.options = options;
    }

    protected override IFrozenClassifier BuildClassifier(CompatibilityContext context) =>
        InfluenceClassifier.Build(context, options.RescaleSynthesised);
}
