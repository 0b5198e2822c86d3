using static TorchSharp.torch;

namespace CompatLab.Abstractions.Losses;

/// <summary>The frozen old model as losses may use it. Nothing here can change it.</summary>
public interface IOldModel
{
    long EmbeddingDim { get; }

    /// <summary>Raw old embeddings of a batch of images, computed in eval mode without gradients.</summary>
    Tensor Embed(Tensor images);

    /// <summary>The trained classifier's rows [rows, EmbeddingDim] (a copy, detached).</summary>
    Tensor ClassifierWeight { get; }

    /// <summary>The classifier's bias [rows], or null when it has none (a cosine classifier).</summary>
    Tensor? ClassifierBias { get; }

    /// <summary>The class id (in the new training set's label space) of each classifier row.</summary>
    IReadOnlyList<int> ClassifierClasses { get; }

    /// <summary>True when the classifier scores cosine similarity (scaled) rather than a dot product plus bias.</summary>
    bool CosineClassifier { get; }

    /// <summary>The scale s of a cosine classifier (logits = s * cos); 1 for a linear classifier.</summary>
    double ClassifierScale { get; }
}
