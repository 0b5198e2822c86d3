using CompatLab.Abstractions.Losses;
using static TorchSharp.torch;

namespace CompatLab.Engine.Models;

/// <summary>The trained old model as losses see it: eval mode, no gradients, classifier copies only.</summary>
public sealed class FrozenOldModel : IOldModel, IDisposable
{
    private readonly RetrievalModel model;
    private readonly Tensor classifierWeight;
    private readonly Tensor? classifierBias;

    public FrozenOldModel(RetrievalModel model, IReadOnlyList<int> classifierClasses)
    {
        this.model = model;
        model.eval();
        foreach (var parameter in model.parameters())
        {
            parameter.requires_grad = false;
        }

        ClassifierClasses = classifierClasses;
        classifierWeight = model.Classifier.Weight.detach().clone().DetachFromDisposeScope();
        classifierBias = model.Classifier.Bias?.detach().clone().DetachFromDisposeScope();
    }

    public RetrievalModel Model => model;

    public long EmbeddingDim => model.Network.EmbeddingDim;

    public Tensor ClassifierWeight => classifierWeight;

    public Tensor? ClassifierBias => classifierBias;

    public IReadOnlyList<int> ClassifierClasses { get; }

    public bool CosineClassifier => model.Classifier.Cosine;

    public double ClassifierScale => model.Classifier.Scale;

    public Tensor Embed(Tensor images)
    {
        using var noGrad = no_grad();
        return model.Network.forward(images);
    }

    public void Dispose()
    {
        classifierWeight.Dispose();
        classifierBias?.Dispose();
        model.Dispose();
    }
}
