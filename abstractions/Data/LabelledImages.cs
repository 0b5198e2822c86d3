using TorchSharp;
using static TorchSharp.torch;

namespace CompatLab.Abstractions.Data;

/// <summary>
/// A set of images held as one tensor: <see cref="Images"/> is float32 [N, C, H, W], already normalised;
/// <see cref="Labels"/> is int64 [N] with class ids in [0, number of classes). Owns both tensors.
/// </summary>
public sealed class LabelledImages : ISampleSet
{
    public LabelledImages(Tensor images, Tensor labels)
    {
        if (images.dim() != 4)
        {
            throw new ArgumentException($"images must be [N, C, H, W], got [{string.Join(", ", images.shape)}]", nameof(images));
        }

        if (labels.dim() != 1 || labels.shape[0] != images.shape[0])
        {
            throw new ArgumentException($"labels must be [N] with N = {images.shape[0]}, got [{string.Join(", ", labels.shape)}]", nameof(labels));
        }

        Images = images.DetachFromDisposeScope();
        Labels = labels.DetachFromDisposeScope();
    }

    public Tensor Images { get; }

    public Tensor Labels { get; }

    public long Count => Images.shape[0];

    public IReadOnlyList<long> SampleShape => Images.shape[1..];

    /// <summary>The rows at <paramref name="indices"/>, as they are: an in-memory set does not augment.</summary>
    public Tensor Load(ReadOnlySpan<long> indices, SamplePass pass)
    {
        using var rows = tensor(indices.ToArray(), dtype: ScalarType.Int64);
        return Images.index_select(0, rows);
    }

    public ISampleSet Subset(Tensor indices) => Select(indices);

    /// <summary>A new set with the rows at <paramref name="indices"/> (int64 [k]); the copy is owned by the result.</summary>
    public LabelledImages Select(Tensor indices)
    {
        using var scope = NewDisposeScope();
        return new LabelledImages(Images.index_select(0, indices), Labels.index_select(0, indices));
    }

    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }
}
