using CompatLab.Sdk.State;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Losses.Classifiers;

/// <summary>Frozen dot-product classifier: logits = phi W^T + b.</summary>
public sealed class LinearClassifier : IFrozenClassifier
{
    private readonly Tensor weight;
    private readonly Tensor? bias;

    /// <param name="weight">Rows [classes, width], one per class; copied.</param>
    /// <param name="bias">[classes] or null for none; copied.</param>
    public LinearClassifier(Tensor weight, Tensor? bias)
    {
        this.weight = FrozenCopy.Of(weight);
        this.bias = bias is null ? null : FrozenCopy.Of(bias);
    }

    public long Width => weight.shape[1];

    public long ClassCount => weight.shape[0];

    public Tensor Logits(Tensor embeddings) => nn.functional.linear(embeddings, weight, bias);

    public void Dispose()
    {
        weight.Dispose();
        bias?.Dispose();
    }
}
