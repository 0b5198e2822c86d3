using static TorchSharp.torch;

namespace CompatLab.Abstractions.Losses;

/// <summary>
/// What a compatibility loss is prepared with: the frozen old model, the new training set's shape, the device,
/// a seed for its own randomness and a telemetry sink.
/// </summary>
public sealed class CompatibilityContext
{
    private readonly Func<Tensor> oldClassMeans;

    public CompatibilityContext(
        IOldModel oldModel,
        int classCount,
        long newEmbeddingDim,
        Device device,
        int seed,
        ITelemetrySink telemetry,
        Func<Tensor> oldClassMeans)
    {
        OldModel = oldModel;
        ClassCount = classCount;
        NewEmbeddingDim = newEmbeddingDim;
        Device = device;
        Seed = seed;
        Telemetry = telemetry;
        this.oldClassMeans = oldClassMeans;
    }

    public IOldModel OldModel { get; }

    /// <summary>Number of classes in the new model's training set (labels are 0..ClassCount-1).</summary>
    public int ClassCount { get; }

    public long NewEmbeddingDim { get; }

    public Device Device { get; }

    public int Seed { get; }

    public ITelemetrySink Telemetry { get; }

    /// <summary>
    /// Mean raw old embedding of every class over the new training set, [ClassCount, OldModel.EmbeddingDim], on
    /// <see cref="Device"/>. Computed once by the host and shared; the caller must not dispose it.
    /// </summary>
    public Tensor OldClassMeans() => oldClassMeans();
}
