using CompatLab.Abstractions.Losses;
using CompatLab.Plugins.Losses.Classifiers;
using CompatLab.Sdk.Losses;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Losses;

/// <summary>
/// L_comp = CE(classifier(phi_n(x)), y) against a frozen classifier built once in <see cref="Prepare"/>; the new
/// embedding is fitted to the classifier's width first. Subclasses say only which classifier.
/// </summary>
public abstract class ClassifierAlignmentLoss : ICompatibilityLoss
{
    private IFrozenClassifier? classifier;

    public virtual bool NeedsOldEmbeddings => false;

    public void Prepare(CompatibilityContext context)
    {
        IFrozenClassifier built = BuildClassifier(context);
        classifier?.Dispose();
        classifier = built;
    }

    public Tensor Compute(CompatibilityBatch batch)
    {
        IFrozenClassifier target = classifier
            ?? throw new InvalidOperationException($"{GetType().Name}: Prepare must run before Compute.");
        using var scope = NewDisposeScope();
        Tensor logits = target.Logits(EmbeddingWidth.Fit(batch.NewEmbeddings, target.Width));
        return nn.functional.cross_entropy(logits, batch.Labels).MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        classifier?.Dispose();
        classifier = null;
        GC.SuppressFinalize(this);
    }

    /// <summary>The classifier to align with; its tensors are detached copies the loss owns from then on.</summary>
    protected abstract IFrozenClassifier BuildClassifier(CompatibilityContext context);
}
