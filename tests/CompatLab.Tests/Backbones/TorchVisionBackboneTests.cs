using CompatLab.Abstractions;
using CompatLab.Abstractions.Models;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;

namespace CompatLab.Tests.Backbones;

/// <summary>The torchvision-layout backbones' shapes, names, maskable layers and input rules (no PyTorch needed).</summary>
public class TorchVisionBackboneTests
{
    [Theory]
    [InlineData("resnet18", 512, 20)]
    [InlineData("resnet34", 512, 36)]
    [InlineData("resnet50", 2048, 53)]
    [InlineData("mobilenet-v2", 1280, 52)]
    [InlineData("mobilenet-v3-small", 576, 52)]
    [InlineData("mobilenet-v3-large", 960, 62)]
    public void CnnGivesTorchVisionsFeatureWidthAndEveryConvolutionIsMaskable(string name, long features, int convolutions)
    {
        using var scope = torch.NewDisposeScope();
        using var network = BackbonePlugins.Create(name, channels: 3, side: 32);

        var output = network.call(torch.randn(2, 3, 32, 32));

        Assert.Equal(features, network.OutputDim);
        Assert.Equal(new[] { 2L, features }, output.shape);
        Assert.Equal(convolutions, BackbonePlugins.MaskableLayers(network).Count);
        Assert.DoesNotContain(network.modules(), m => m is Conv2d or Linear);
    }

    [Fact]
    public void ResNet101HasTorchVisionsParameterCountLessTheClassifier()
    {
        using var network = BackbonePlugins.Create("resnet101", channels: 3, side: 224);

        // torchvision's resnet101 has 44,549,160 parameters, of which fc holds 2048 * 1000 + 1000.
        Assert.Equal(44_549_160 - 2_049_000, network.parameters().Sum(p => p.numel()));
    }

    [Theory]
    [InlineData("vit-t-16", 192, 5_524_416)]
    [InlineData("vit-s-16", 384, 21_665_664)]
    public void VitPresetsHaveTheirWidthAndParameterCount(string name, long width, long parameters)
    {
        using var network = BackbonePlugins.Create(name, channels: 3, side: 224);

        Assert.Equal(width, network.OutputDim);
        Assert.Equal(parameters, network.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void VitKeysAreTorchVisionsAndItsProjectionsAreMaskable()
    {
        var tiny = new Dictionary<string, string?> { ["patchSize"] = "8", ["layers"] = "1", ["heads"] = "2", ["hiddenDim"] = "16", ["mlpDim"] = "32" };
        using var network = BackbonePlugins.Create("vit", channels: 3, side: 16, settings: tiny, layers: new MaskableLayerFactory(withScores: true));

        var keys = network.state_dict().Keys.ToList();

        const string block = "encoder.layers.encoder_layer_0.";
        Assert.Contains("class_token", keys);
        Assert.Contains("encoder.pos_embedding", keys);
        Assert.Contains(block + "self_attention.in_proj_weight", keys);
        Assert.Contains(block + "self_attention.in_proj_bias", keys);
        Assert.Contains(block + "self_attention.in_proj.scores", keys);
        Assert.Contains(block + "self_attention.out_proj.weight", keys);
        Assert.Contains(block + "mlp.3.weight", keys);
        Assert.DoesNotContain(block + "self_attention.in_proj.weight", keys);
        Assert.Equal(
            ["conv_proj", block + "self_attention.in_proj", block + "self_attention.out_proj", block + "mlp.0", block + "mlp.3"],
            BackbonePlugins.MaskableLayers(network).Select(m => m.Name));
        Assert.Equal(new long[] { 1, 5, 16 }, network.state_dict()["encoder.pos_embedding"].shape); // 2x2 patches + class token
    }

    [Fact]
    public void GreyImagesAreRefusedUnlessInputChannelsSaysSoAndResNet18PointsToTheCifarNetwork()
    {
        var error = Assert.Throws<CompatLabUserException>(() => BackbonePlugins.Create("resnet18", channels: 1, side: 28));
        using var grey = BackbonePlugins.Create("resnet18", channels: 1, side: 32, settings: new Dictionary<string, string?> { ["inputChannels"] = "1" });

        Assert.Contains("is built for 3-channel images (option inputChannels), but the dataset gives 1x28x28", error.Message);
        Assert.Contains("'cifar-resnet18'", error.Message);
        Assert.Equal(new long[] { 64, 1, 7, 7 }, grey.state_dict()["conv1.weight"].shape);
    }

    [Fact]
    public void CifarWidthsGivenToResNet18AreRefusedNamingCifarResNet18()
    {
        var options = BackbonePlugins.BindOptions("resnet18", new Dictionary<string, string?> { ["widths:0"] = "8", ["widths:1"] = "16", ["widths:2"] = "32", ["widths:3"] = "64" });

        string problem = Assert.Single(options.Validate());

        Assert.Contains("now called 'cifar-resnet18'", problem);
        Assert.Throws<CompatLabUserException>(() => BackbonePlugins.Factory("resnet18", options));
    }

    [Fact]
    public void VitRefusesImagesWhoseSidesAreNotMultiplesOfThePatch()
    {
        var error = Assert.Throws<CompatLabUserException>(() => BackbonePlugins.Create("vit-t-16", channels: 3, side: 40));

        Assert.Contains("sides must be multiples of 16; the dataset gives 40x40", error.Message);
    }

    [Fact]
    public void DepthwiseConvolutionsAreGroupedMaskableLayers()
    {
        using var network = BackbonePlugins.Create("mobilenet-v2", channels: 3, side: 32);

        var depthwise = BackbonePlugins.MaskableLayers(network).Single(m => m.Name == "features.1.conv.0.0").Layer;

        Assert.Equal(new long[] { 32, 1, 3, 3 }, depthwise.Weight.shape);
    }
}
