using CompatLab.Abstractions.Losses;
using static TorchSharp.torch;

namespace CompatLab.Testing;

/// <summary>
/// A frozen old model made of seeded random numbers. It knows only the first half of the classes, as in the
/// extended-class protocol, so losses that synthesise classifier columns for new classes exercise that path too.
/// </summary>
internal sealed class FakeOldModel : IOldModel, IDisposable
{
    private readonly Tensor weight;
    private readonly Tensor bias;
    private readonly Tensor projection;

    public FakeOldModel(long embeddingDim, int classes, long inputFeatures, Device device, int seed)
    {
        using var generator = new Generator((ulong)seed);
        int known = Math.Max(1, classes / 2);
        EmbeddingDim = embeddingDim;
        weight = randn([known, embeddingDim], generator: generator).to(device).DetachFromDisposeScope();
        bias = zeros([known], device: device).DetachFromDisposeScope();
        projection = randn([inputFeatures, embeddingDim], generator: generator).to(device).DetachFromDisposeScope();
        ClassifierClasses = Enumerable.Range(0, known).ToArray();
    }

    public long EmbeddingDim { get; }

    public Tensor ClassifierWeight => weight;

    public Tensor? ClassifierBias => bias;

    public IReadOnlyList<int> ClassifierClasses { get; }

    public bool CosineClassifier => false;

    public double ClassifierScale => 1;

    public Tensor Embed(Tensor images)
    {
        using var noGrad = no_grad();
        return images.flatten(1).matmul(projection);
    }

    public void Dispose()
    {
        weight.Dispose();
        bias.Dispose();
        projection.Dispose();
    }
}
