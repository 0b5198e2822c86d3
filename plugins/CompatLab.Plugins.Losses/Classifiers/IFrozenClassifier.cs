using CompatLab.Sdk.Losses;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Losses.Classifiers;

/// <summary>
/// A classifier a compatibility loss keeps fixed while the new model trains: its tensors are detached copies it
/// owns (and disposes), so gradients reach only the embeddings it scores.
/// </summary>
public interface IFrozenClassifier : IDisposable
{
    /// <summary>The embedding width it expects; fit embeddings with <see cref="EmbeddingWidth.Fit"/> first.</summary>
    long Width { get; }

    /// <summary>Number of classes, i.e. columns of <see cref="Logits"/>, in class-id order.</summary>
    long ClassCount { get; }

    /// <summary>Logits [N, ClassCount] of embeddings [N, Width].</summary>
    Tensor Logits(Tensor embeddings);
}
