using CompatLab.Abstractions.Losses;
using CompatLab.Abstractions.Plugins;
using CompatLab.Plugins.Losses.Classifiers;

namespace CompatLab.Plugins.Losses;

/// <summary>
/// BCT against the normalised old class means of all classes as a scaled-cosine classifier; the zero-perturbation
/// baseline of NDPP/ODPP.
/// </summary>
[CompatLabPlugin(
    PluginKind.CompatibilityLoss,
    "bct-proto",
    Description = "Cross-entropy of s * cos(new embedding, old class prototype) over all classes; the prototypes are the normalised old class means.",
    Options = typeof(BctProtoOptions))]
public sealed class BctProto : ClassifierAlignmentLoss
{
    private readonly BctProtoOptions options;

    public BctProto(BctProtoOptions options)
        : base("bct-proto", options)
    {
        this.options = options;
    }

    protected override IFrozenClassifier BuildClassifier(CompatibilityContext context) =>
        PrototypeClassifier.FromOldClassMeans(context, options.Scale);
}
