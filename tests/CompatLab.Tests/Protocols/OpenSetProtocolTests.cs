using CompatLab.Abstractions;
using CompatLab.Engine.Configuration;
using CompatLab.Engine.Evaluation;
using CompatLab.Engine.Runs;
using CompatLab.Tests.Support;
using Xunit;

namespace CompatLab.Tests.Protocols;

/// <summary>open-set: query and gallery classes unseen in training, from the dataset's roles or from held-out classes.</summary>
// Compares seeded runs exactly: torch's global generator (which model building seeds) must not be shared with other tests.
[Collection(CompatLab.Tests.Backbones.TorchRandomCollection.Name)]
public sealed class OpenSetProtocolTests : IDisposable
{
    private const string HeldOut = """{ "type": "synthetic", "options": { "classes": 6, "trainPerClass": 12, "testPerClass": 4, "size": 16 } }""";

    private readonly ScratchFolder scratch = new();

    public void Dispose() => scratch.Dispose();

    [Fact]
    public void HeldOutClassesGiveQueriesAndGalleryUnseenInTraining()
    {
        using var run = Open(HeldOut, """, "openSet": { "heldOutFraction": 0.34, "queryFraction": 0.5 }""");

        var result = run.Run();

        Assert.Equal("open-set", run.Experiment.Protocol.Descriptor.Name);
        Assert.InRange(result.Cross!.Map, 0, 1);
        Assert.InRange(result.OldSelf!.MapAtK, 0, 1);
        string log = run.Messages.ToString();
        Assert.Contains("open-set evaluation on held-out classes", log, StringComparison.Ordinal);
        Assert.Contains("4 query and 4 gallery test images", log, StringComparison.Ordinal);
        Assert.Contains("old model learns 2 of the 4 training classes (48 images)", log, StringComparison.Ordinal);
        Assert.Contains("| cross mAP@100 |", File.ReadAllText(Path.Combine(result.RunFolder, "results.md")), StringComparison.Ordinal);
    }

    [Fact]
    public void StreamedAndInMemoryEvaluationAgreeOnMapAtKAndRecall()
    {
        using var held = Open(HeldOut, string.Empty, evaluation: """{ "recallAtK": [1, 5], "streamAbove": 1000 }""", output: "held");
        using var streamed = Open(HeldOut, string.Empty, evaluation: """{ "recallAtK": [1, 5], "streamAbove": 0 }""", output: "streamed");

        var inMemory = held.Run();
        var byChunks = streamed.Run();

        Assert.Equal(inMemory.Cross!.MapAtK, byChunks.Cross!.MapAtK);
        Assert.Equal(inMemory.Cross.RecallAt1, byChunks.Cross.RecallAt1);
        Assert.Equal(inMemory.OldSelf!.MapAtK, byChunks.OldSelf!.MapAtK);
        Assert.Equal(inMemory.NewSelf.MapAtK, byChunks.NewSelf.MapAtK);
        Assert.True(double.IsNaN(byChunks.Cross.Map));
        Assert.Equal(byChunks.Cross.MapAtK > byChunks.OldSelf.MapAtK, byChunks.Ecc);
        Assert.True(File.Exists(Path.Combine(byChunks.RunFolder, "gallery-embeddings", "old.clembed")));
        string table = File.ReadAllText(Path.Combine(byChunks.RunFolder, "results.md"));
        Assert.Contains("| - | - | - |", table, StringComparison.Ordinal);
        Assert.Contains("open-set: 4 queries, 4 gallery images (gallery ranked by streaming: full mAP not available)", table, StringComparison.Ordinal);
        Assert.Contains("| test | mAP | mAP@100 | R@1 | R@5 |", table, StringComparison.Ordinal);
        Assert.Equal(inMemory.OpenSet!.Tests[2].RecallAtK[5], byChunks.OpenSet!.Tests[2].RecallAtK[5]);
        Assert.True(double.IsNaN(RunOutputs.ReadResult(Path.Combine(byChunks.RunFolder, "results.json")).Cross!.Map));
    }

    [Fact]
    public void AHalfPrecisionGalleryIsWrittenAsFloat16()
    {
        using var run = Open(HeldOut, string.Empty, evaluation: """{ "streamAbove": 0, "galleryHalf": true }""");

        var result = run.Run();

        var file = EmbeddingChunkReader.Open(Path.Combine(result.RunFolder, "gallery-embeddings", "new.clembed"));
        Assert.Equal(TorchSharp.torch.ScalarType.Float16, file.ElementType);
        Assert.Equal(4, file.Rows);
        Assert.InRange(result.Cross!.MapAtK, 0, 1);
    }

    [Fact]
    public void OtherProtocolsRefuseAnOpenSetSection()
    {
        string json = TinyExperiment.Json().Replace("\"oldClassFraction\": 0.5", "\"oldClassFraction\": 0.5, \"openSet\": { }", StringComparison.Ordinal);

        var error = Assert.Throws<ConfigException>(() => InProcessRun.Open(scratch.File("other.json", json)));

        Assert.Contains("data.split.openSet: only used when data.split.type is open-set (it is extended-class)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheDatasetsQueryAndGalleryAreUsedWhenItNamesThem()
    {
        string plugins = RolesDatasetPlugin.Build(scratch.Root).Replace("\\", "/", StringComparison.Ordinal);
        using var run = Open("""{ "type": "roles" }""", string.Empty, plugins: plugins);

        var result = run.Run();

        Assert.Contains("the query (6) and gallery (8) images dataset 'roles' names", run.Messages.ToString(), StringComparison.Ordinal);
        Assert.Contains("old model learns 2 of the 4 training classes", run.Messages.ToString(), StringComparison.Ordinal);
        Assert.InRange(result.NewSelf.Map, 0, 1);
    }

    [Fact]
    public void SetsThatLoadOnDemandGiveTheNumbersOfSetsHeldInMemory()
    {
        string plugins = RolesDatasetPlugin.Build(scratch.Root).Replace("\\", "/", StringComparison.Ordinal);
        using var held = Open("""{ "type": "roles" }""", string.Empty, plugins: plugins, output: "held");
        using var onDemand = Open("""{ "type": "roles", "options": { "onDemand": true } }""", string.Empty, plugins: plugins, output: "ondemand");

        var expected = held.Run();
        var actual = onDemand.Run();

        Assert.Equal(expected.OldSelf!.Map, actual.OldSelf!.Map);
        Assert.Equal(expected.NewSelf.Map, actual.NewSelf.Map);
        Assert.Equal(expected.Cross!.Map, actual.Cross!.Map);
    }

    [Fact]
    public void ItRefusesAQueryClassThatTrainingSees()
    {
        string plugins = RolesDatasetPlugin.Build(scratch.Root).Replace("\\", "/", StringComparison.Ordinal);
        using var run = Open("""{ "type": "roles", "options": { "leak": true } }""", string.Empty, plugins: plugins);

        var error = Assert.Throws<CompatLabUserException>(() => run.Run());

        Assert.Contains("class(es) 'e' (id 4) appear both in training and in the query/gallery sets", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"heldOutFraction\": 1.5", "data.split.openSet.heldOutFraction: expected a share of the classes strictly between 0 and 1, got 1.5")]
    [InlineData("\"queryFraction\": 0", "data.split.openSet.queryFraction: expected a share of each held-out class's test images strictly between 0 and 1")]
    public void CheckRefusesFractionsOutOfRange(string option, string expected)
    {
        var error = Assert.Throws<ConfigException>(() => Open(HeldOut, $$""", "openSet": { {{option}} }"""));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ItRefusesTooFewClassesNamingTheKey()
    {
        using var run = Open(HeldOut.Replace("\"classes\": 6", "\"classes\": 3", StringComparison.Ordinal), """, "openSet": { "heldOutFraction": 0.5 }""");

        var error = Assert.Throws<CompatLabUserException>(() => run.Run());

        Assert.Contains("data.split.openSet.heldOutFraction: 0.5 of 3 classes holds out 2; open-set needs at least one held-out class and two training classes", error.Message, StringComparison.Ordinal);
    }

    private InProcessRun Open(string dataset, string split, string evaluation = """{ "recallAtK": [1, 5] }""", string output = "runs", string? plugins = null)
    {
        string folder = Path.Combine(scratch.Root, output).Replace("\\", "/", StringComparison.Ordinal);
        string extra = $$""", "tracking": { "trackers": [] }, "evaluation": {{evaluation}}""" +
            (plugins is null ? string.Empty : $$""", "plugins": { "directories": ["{{plugins}}"] }""");
        string json = TinyExperiment.Json(extra: extra)
            .Replace("""{ "type": "synthetic", "options": { "classes": 4, "trainPerClass": 24, "testPerClass": 6, "size": 16 } }""", dataset, StringComparison.Ordinal)
            .Replace("\"type\": \"extended-class\", \"oldClassFraction\": 0.5", "\"type\": \"open-set\", \"oldClassFraction\": 0.5" + split, StringComparison.Ordinal)
            .Replace("\"output\": \"runs\"", $"\"output\": \"{folder}\"", StringComparison.Ordinal);
        return InProcessRun.Open(scratch.File(output + ".json", json));
    }
}
