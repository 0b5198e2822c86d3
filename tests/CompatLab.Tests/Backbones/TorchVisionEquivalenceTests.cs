using CompatLab.Abstractions;
using CompatLab.Abstractions.Models;
using CompatLab.Engine.Weights;
using TorchSharp;
using Xunit;

namespace CompatLab.Tests.Backbones;

/// <summary>
/// Each torchvision family built by Debian's PyTorch 1.13 / torchvision 0.14, its state dict loaded key for key
/// (strict) into our backbone, and our trunk features on the same batch within 1e-4 of torchvision's.
/// </summary>
public class TorchVisionEquivalenceTests : IClassFixture<TorchVisionReference>
{
    private const double Tolerance = 1e-4;

    private static readonly Dictionary<string, string?> TinyVit = new()
    {
        ["patchSize"] = "8",
        ["layers"] = "2",
        ["heads"] = "2",
        ["hiddenDim"] = "32",
        ["mlpDim"] = "64",
    };

    private readonly TorchVisionReference reference;

    public TorchVisionEquivalenceTests(TorchVisionReference reference)
    {
        this.reference = reference;
    }

    [Theory]
    [InlineData("resnet18", "resnet18")]
    [InlineData("resnet50", "resnet50")]
    [InlineData("mobilenet_v2", "mobilenet-v2")]
    [InlineData("mobilenet_v3_small", "mobilenet-v3-small")]
    public void CnnTrunkMatchesTorchVision(string family, string plugin)
    {
        AssertMatches(family, plugin, settings: null);
    }

    [Fact]
    public void VitTrunkMatchesTorchVisionsVisionTransformer()
    {
        AssertMatches("vit_tiny", "vit", TinyVit);
    }

    [Fact]
    public void ScoredLayersLoadTorchVisionWeightsStrictlyAndKeepTheirScores()
    {
        using var scope = torch.NewDisposeScope();
        using var network = BackbonePlugins.Create("vit", channels: 3, side: 32, settings: TinyVit, layers: new MaskableLayerFactory(withScores: true));

        var scores = network.state_dict()["encoder.layers.encoder_layer_0.self_attention.in_proj.scores"].clone();

        var report = WeightLoader.Load(network, reference.Weights("vit_tiny"), new WeightKeyMap(), strict: true, "vit");

        Assert.True(report.Clean);
        Assert.True(scores.equal(network.state_dict()["encoder.layers.encoder_layer_0.self_attention.in_proj.scores"]).all().item<bool>());
    }

    [Fact]
    public void WeightsOfAnotherArchitectureAreRefusedWithTheKeyReport()
    {
        using var network = BackbonePlugins.Create("resnet34", channels: 3, side: 64);
        string weights = reference.Weights("resnet50");

        var report = WeightLoader.Load(network, weights, new WeightKeyMap(), strict: false, "backbone 'resnet34'");
        var error = Assert.Throws<CompatLabUserException>(() => WeightLoader.Load(network, weights, new WeightKeyMap(), strict: true, "backbone 'resnet34'"));

        Assert.Contains("layer1.0.conv3.weight", report.Unexpected); // a bottleneck key the basic blocks lack
        var conv1 = Assert.Single(report.MisShaped, m => m.Key == "layer1.0.conv1.weight");
        Assert.Equal(new long[] { 64, 64, 3, 3 }, conv1.ModelShape);
        Assert.Equal(new long[] { 64, 64, 1, 1 }, conv1.FileShape);
        Assert.StartsWith($"Weight file '{weights}' does not fit backbone 'resnet34':", error.Message);
        Assert.Contains("in the file but not in the model", error.Message);
        Assert.Contains("of another shape", error.Message);
    }

    [Fact]
    public void PickledWholeModelIsRefusedWithAdviceToSaveTheStateDict()
    {
        var error = Assert.Throws<CompatLabUserException>(() => StateDictFile.Read(Path.Combine(reference.Folder, "whole-model.pt")));

        Assert.Contains("torch.save(model.state_dict(), 'weights.pt')", error.Message);
    }

    private void AssertMatches(string family, string plugin, Dictionary<string, string?>? settings)
    {
        using var scope = torch.NewDisposeScope();
        var (input, expected) = reference.InputAndFeatures(family);
        using var network = BackbonePlugins.Create(plugin, channels: input.shape[1], side: input.shape[2], settings: settings);

        var report = WeightLoader.Load(network, reference.Weights(family), new WeightKeyMap(), strict: true, plugin);
        network.eval();
        using var noGrad = torch.no_grad();
        var actual = network.call(input);

        Assert.True(report.Clean);
        Assert.Equal(expected.shape, actual.shape);
        double difference = (actual - expected).abs().max().item<float>();
        Assert.True(difference <= Tolerance, $"{plugin}: max |ours - torchvision| = {difference:G3} (tolerance {Tolerance})");
    }
}
