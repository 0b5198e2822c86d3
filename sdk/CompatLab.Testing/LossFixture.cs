using CompatLab.Abstractions;
using CompatLab.Abstractions.Losses;
using static TorchSharp.torch;

namespace CompatLab.Testing;

/// <summary>
/// The world a loss sees in the kit: a random frozen old model, its class means, and seeded batches in which every
/// class appears. The same seed gives the same batches.
/// </summary>
internal sealed class LossFixture : IDisposable
{
    private readonly ConformanceSettings settings;
    private readonly FakeOldModel oldModel;
    private readonly Tensor classMeans;
    private readonly Generator generator;

    public LossFixture(ConformanceSettings settings, Device device)
    {
        this.settings = settings;
        Device = device;
        oldModel = new FakeOldModel(settings.EmbeddingDim, settings.Classes, inputFeatures: 4, device, settings.Seed);
        using (var seeded = new Generator((ulong)settings.Seed + 1))
        {
            classMeans = randn([settings.Classes, settings.EmbeddingDim], generator: seeded).to(device).DetachFromDisposeScope();
        }

        generator = new Generator((ulong)settings.Seed + 2);
    }

    public Device Device { get; }

    public CompatibilityContext Context() =>
        new(oldModel, settings.Classes, settings.EmbeddingDim, Device, settings.Seed, NullTelemetrySink.Instance, () => classMeans);

    /// <summary>A batch whose new embeddings and classifier weight are leaves that collect gradients.</summary>
    public CompatibilityBatch Batch(long step, bool withOld)
    {
        var labels = arange(settings.BatchSize, dtype: ScalarType.Int64).remainder(settings.Classes).to(Device);
        var newEmbeddings = Random([settings.BatchSize, settings.EmbeddingDim]).requires_grad_();
        var oldEmbeddings = withOld ? Random([settings.BatchSize, settings.EmbeddingDim]) : null;
        var classifier = Random([settings.Classes, settings.EmbeddingDim]).requires_grad_();
        return new CompatibilityBatch(labels, newEmbeddings, oldEmbeddings, step, Epoch: 0) { NewClassifierWeight = classifier };
    }

    public void Dispose()
    {
        oldModel.Dispose();
        classMeans.Dispose();
        generator.Dispose();
    }

    // Drawn on the CPU (the generator's device) and moved, so every device sees the same numbers.
    private Tensor Random(long[] shape) => randn(shape, generator: generator).to(Device);
}
