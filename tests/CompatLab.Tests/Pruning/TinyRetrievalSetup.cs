using CompatLab.Abstractions.Data;
using CompatLab.Engine.Configuration;
using CompatLab.Engine.Data;
using CompatLab.Engine.Models;
using CompatLab.Tests.Backbones;
using TorchSharp;
using static TorchSharp.torch;

namespace CompatLab.Tests.Pruning;

/// <summary>
/// A narrow cnn4 retrieval model (four maskable convolutions, BatchNorm after each) with random 16x16 images of four
/// classes: enough to exercise pruning, recalibration and retrieval in well under a second.
/// </summary>
internal sealed class TinyRetrievalSetup : IDisposable
{
    public const int Classes = 4;

    public TinyRetrievalSetup(bool withScores = false, long seed = 5)
    {
        Model = BuildModel(withScores, seed);
        using var generator = new Generator(17);
        Training = new StageData(Images(96, generator), Enumerable.Range(0, Classes).ToList(), Classes);
        Test = Images(32, generator);
    }

    public RetrievalModel Model { get; }

    public StageData Training { get; }

    public LabelledImages Test { get; }

    public static RetrievalModel BuildModel(bool withScores, long seed) => ModelBuilder.Build(
        BackbonePlugins.Factory("cnn4", new Dictionary<string, string?> { ["widths:0"] = "4", ["widths:1"] = "4", ["widths:2"] = "8", ["widths:3"] = "8" }),
        (1, 16, 16),
        new ModelSpec { EmbeddingDim = 8 },
        Classes,
        seed,
        CPU,
        withScores);

    public void Dispose()
    {
        Model.Dispose();
        Training.Dispose();
        Test.Dispose();
    }

    /// <summary>Each class a different mean brightness pattern plus noise, so retrieval scores are not all equal.</summary>
    private static LabelledImages Images(int count, Generator generator)
    {
        using var scope = NewDisposeScope();
        var labels = arange(count, dtype: ScalarType.Int64) % Classes;
        var pattern = linspace(-1, 1, 16).reshape(1, 1, 1, 16) * (labels.to(ScalarType.Float32).reshape(-1, 1, 1, 1) - 1.5f);
        var images = pattern + randn(count, 1, 16, 16, generator: generator);
        return new LabelledImages(images, labels);
    }
}
