using CompatLab.Abstractions.Losses;
using CompatLab.Abstractions.Plugins;
using CompatLab.Plugins.Losses.Classifiers;
using CompatLab.Sdk.Losses;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Losses;

/// <summary>
/// L_comp = CE(classifier(phi_n(x)), y) against a frozen classifier built once in <see cref="OnPrepare"/>; the new
/// embedding is fitted to the classifier's width first. Subclasses say only which classifier.
/// </summary>
public abstract class ClassifierAlignmentLoss : CompatibilityLoss
{
    private IFrozenClassifier? classifier;

    protected ClassifierAlignmentLoss(string name, IValidatableOptions options)
        : base(name, options)
    {
    }

    public override bool NeedsOldEmbeddings => false;

    protected override void OnPrepare(CompatibilityContext context)
    {
        IFrozenClassifier built = BuildClassifier(context);
        classifier?.Dispose();
        classifier = built;
    }

    protected override Tensor Loss(CompatibilityBatch batch)
    {
        IFrozenClassifier target = classifier
            ?? throw new InvalidOperationException($"loss '{Name}': Prepare must run before Compute.");
        Tensor logits = target.Logits(EmbeddingWidth.Fit(batch.NewEmbeddings, target.Width));
        return nn.functional.cross_entropy(logits, batch.Labels);
    }

    protected override void Release()
    {
        classifier?.Dispose();
        classifier = null;
    }

    /// <summary>The classifier to align with; its tensors are detached copies the loss owns from then on.</summary>
    protected abstract IFrozenClassifier BuildClassifier(CompatibilityContext context);
}
