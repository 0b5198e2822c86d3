using CompatLab.Abstractions.Losses;
using CompatLab.Sdk.State;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Losses.Classifiers;

/// <summary>Frozen scaled-cosine classifier: logits = s * cos(phi, p_c) against normalised prototypes p_c.</summary>
public sealed class PrototypeClassifier : IFrozenClassifier
{
    private readonly Tensor prototypes;

    /// <param name="prototypes">One row per class [classes, width], normalised here (a copy is kept).</param>
    /// <param name="scale">The scale s, positive.</param>
    public PrototypeClassifier(Tensor prototypes, double scale)
    {
        using var scope = NewDisposeScope();
        this.prototypes = FrozenCopy.Of(nn.functional.normalize(prototypes.detach(), p: 2, dim: 1));
        Scale = scale;
    }

    public double Scale { get; }

    public long Width => prototypes.shape[1];

    public long ClassCount => prototypes.shape[0];

    /// <summary>The old prototypes o_c = norm(mean phi_o over class c) of every class in the new training set.</summary>
    public static PrototypeClassifier FromOldClassMeans(CompatibilityContext context, double scale) =>
        new(context.OldClassMeans(), scale);

    public Tensor Logits(Tensor embeddings)
    {
        using var scope = NewDisposeScope();
        Tensor directions = nn.functional.normalize(embeddings, p: 2, dim: 1);
        return directions.matmul(prototypes.t()).mul(Scale).MoveToOuterDisposeScope();
    }

    public void Dispose() => prototypes.Dispose();
}
