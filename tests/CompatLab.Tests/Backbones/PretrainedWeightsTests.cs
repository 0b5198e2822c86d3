using CompatLab.Abstractions;
using CompatLab.Engine.Configuration;
using CompatLab.Engine.Models;
using CompatLab.Engine.Weights;
using TorchSharp;
using Xunit;

namespace CompatLab.Tests.Backbones;

/// <summary>model.pretrained: torchvision weights replace the trunk's seeded initialisation when the model is built.</summary>
public class PretrainedWeightsTests : IClassFixture<TorchVisionReference>
{
    private readonly TorchVisionReference reference;

    public PretrainedWeightsTests(TorchVisionReference reference)
    {
        this.reference = reference;
    }

    [Fact]
    public void ModelBuilderLoadsTheFileIntoTheTrunkWithScoresKept()
    {
        using var scope = torch.NewDisposeScope();
        string path = reference.Weights("resnet18");
        var spec = new ModelSpec { Backbone = new PluginRef("resnet18"), EmbeddingDim = 8, Pretrained = new PretrainedSpec { Path = path } };
        var expected = StateDictFile.Read(path)["layer2.0.downsample.0.weight"];

        using var model = ModelBuilder.Build(BackbonePlugins.Factory("resnet18"), (3, 64, 64), spec, classes: 4, seed: 1, torch.CPU, withScores: true);

        Assert.True(expected.equal(model.Network.Trunk.state_dict()["layer2.0.downsample.0.weight"]).all().item<bool>());
    }

    [Fact]
    public void KeyMapRenamesPrefixesAndABadRuleIsNamed()
    {
        using var scope = torch.NewDisposeScope();
        using var trunk = BackbonePlugins.Create("resnet18", channels: 3, side: 64);
        var wrapped = StateDictFile.Read(reference.Weights("resnet18")).ToDictionary(e => "module.backbone." + e.Key, e => e.Value);

        var report = WeightLoader.Load(trunk, wrapped, new WeightKeyMap(new Dictionary<string, string> { ["module.backbone."] = string.Empty }), strict: true, "file", "resnet18");
        var error = Assert.Throws<CompatLabUserException>(() =>
            PretrainedWeights.LoadInto(trunk, new PretrainedSpec { Path = reference.Weights("resnet18"), KeyMap = ["module."] }, "resnet18"));

        Assert.True(report.Clean);
        Assert.Equal(trunk.state_dict().Count, report.Loaded);
        Assert.Contains("model.pretrained.keyMap entry 'module.'", error.Message);
    }

    [Fact]
    public void MissingFileIsNamed()
    {
        using var trunk = BackbonePlugins.Create("mobilenet-v2", channels: 3, side: 32);

        var error = Assert.Throws<CompatLabUserException>(() =>
            PretrainedWeights.LoadInto(trunk, new PretrainedSpec { Path = "/nonexistent/weights.pt" }, "mobilenet-v2"));

        Assert.Equal("Weight file '/nonexistent/weights.pt' does not exist.", error.Message);
    }
}
