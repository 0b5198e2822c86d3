using System.Text.Json.Nodes;
using CompatLab.Engine.Configuration;
using CompatLab.Engine.Models;
using CompatLab.Engine.Weights;
using TorchSharp;
using Xunit;

namespace CompatLab.Tests.Backbones;

/// <summary>
/// An exported model (safetensors + JSON) loaded into torchvision by Python, as docs/backbones.md shows, gives
/// our embeddings; and the file reads back into CompatLab key for key.
/// </summary>
public class ModelExportTests : IClassFixture<TorchVisionReference>
{
    private readonly TorchVisionReference reference;

    public ModelExportTests(TorchVisionReference reference)
    {
        this.reference = reference;
    }

    [Fact]
    public void TorchVisionLoadsTheExportAndGivesTheSameEmbeddings()
    {
        using var scope = torch.NewDisposeScope();
        using var model = TrainedLookingResNet18();
        var (input, _) = reference.InputAndFeatures("resnet18");
        var ours = model.EmbedAll(input, torch.CPU);
        string weights = Path.Combine(reference.Folder, "export", "model.safetensors");
        string embeddings = Path.Combine(reference.Folder, "export", "embeddings.pt");

        ModelExport.Write(model.Network, weights, new JsonObject { ["backbone"] = "resnet18" });
        TorchVisionReference.RunScript("load_export.py", weights, "resnet18", Path.Combine(reference.Folder, "resnet18-io.pt"), embeddings);
        var theirs = StateDictFile.Read(embeddings)["embeddings"];

        Assert.Equal(ours.shape, theirs.shape);
        double difference = (ours - theirs).abs().max().item<float>();
        Assert.True(difference <= 1e-4, $"max |CompatLab - torchvision| = {difference:G3}");
    }

    [Fact]
    public void ExportReadsBackKeyForKeyWithoutScoresAndDescribesItself()
    {
        using var scope = torch.NewDisposeScope();
        using var model = TrainedLookingResNet18(withScores: true);
        string weights = Path.Combine(reference.Folder, "readback", "model.safetensors");

        ModelExport.Write(model.Network, weights, new JsonObject { ["backbone"] = "resnet18" });
        var saved = StateDictFile.Read(weights);
        var description = JsonNode.Parse(File.ReadAllText(ModelExport.DescriptionPath(weights)))!;

        var expected = model.Network.state_dict().Where(e => !e.Key.EndsWith(".scores", StringComparison.Ordinal)).ToList();
        Assert.Equal(expected.Select(e => e.Key).Order(), saved.Keys.Order());
        Assert.All(expected, e => Assert.True(e.Value.equal(saved[e.Key].reshape(e.Value.shape)).all().item<bool>(), e.Key));
        Assert.Equal(512, description["featureDim"]!.GetValue<long>());
        Assert.Equal(8, description["embeddingDim"]!.GetValue<long>());
        Assert.Equal("model.safetensors", description["weights"]!.GetValue<string>());
    }

    // Pretrained trunk, random projector, and batch-norm statistics moved off their defaults by one training pass.
    private RetrievalModel TrainedLookingResNet18(bool withScores = false)
    {
        var spec = new ModelSpec { Backbone = new PluginRef("resnet18"), EmbeddingDim = 8, Pretrained = new PretrainedSpec { Path = reference.Weights("resnet18") } };
        var model = ModelBuilder.Build(BackbonePlugins.Factory("resnet18"), (3, 64, 64), spec, classes: 4, seed: 3, torch.CPU, withScores);
        model.train();
        using (torch.no_grad())
        {
            model.call(torch.randn(4, 3, 64, 64)).Dispose();
        }

        model.eval();
        return model;
    }
}
