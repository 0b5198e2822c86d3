using CompatLab.Abstractions;
using CompatLab.Abstractions.Models;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;

namespace CompatLab.Tests.Backbones;

public class CifarResNet18Tests
{
    private static readonly Dictionary<string, string?> Narrow = new() { ["widths:0"] = "4", ["widths:1"] = "8", ["widths:2"] = "8", ["widths:3"] = "16" };

    [Theory]
    [InlineData(1, 28)]
    [InlineData(3, 32)]
    public void DefaultNetworkGivesFiveHundredTwelveFeatures(long channels, long side)
    {
        using var scope = torch.NewDisposeScope();
        using var network = BackbonePlugins.Create("cifar-resnet18", channels, side);

        var features = network.call(torch.randn(2, channels, side, side));

        Assert.Equal(512, network.OutputDim);
        Assert.Equal(new[] { 2L, 512L }, features.shape);
    }

    [Fact]
    public void DefaultParameterCountIsTheCifarResNet18Trunk()
    {
        // The usual CIFAR ResNet-18 has 11,173,962 parameters with its 512x10 classifier (5,130); the trunk is the rest.
        using var network = BackbonePlugins.Create("cifar-resnet18", channels: 3, side: 32);

        Assert.Equal(11_173_962 - 5_130, network.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void WidthsOptionSetsEveryStageAndTheFeatureWidth()
    {
        using var scope = torch.NewDisposeScope();
        using var network = BackbonePlugins.Create("cifar-resnet18", settings: Narrow);

        Assert.Equal(16, network.OutputDim);
        Assert.Equal(new[] { 3L, 16L }, network.call(torch.randn(3, 1, 28, 28)).shape);
        Assert.Equal(new long[] { 4, 1, 3, 3 }, BackbonePlugins.MaskableLayers(network)[0].Layer.Weight.shape);
    }

    [Fact]
    public void EveryConvolutionStemAndShortcutsIncludedIsMaskableWithScoresAndNoBatchNormIs()
    {
        using var network = BackbonePlugins.Create("cifar-resnet18", settings: Narrow, layers: new MaskableLayerFactory(withScores: true));

        var maskable = BackbonePlugins.MaskableLayers(network);

        var expected = new List<string> { "stem.conv" };
        for (int stage = 1; stage <= 4; stage++)
        {
            for (int block = 0; block < 2; block++)
            {
                expected.Add($"stage{stage}.block{block}.conv1");
                expected.Add($"stage{stage}.block{block}.conv2");
                if (stage > 1 && block == 0)
                {
                    expected.Add($"stage{stage}.block{block}.shortcut.conv");
                }
            }
        }

        Assert.Equal(expected, maskable.Select(m => m.Name));
        Assert.All(maskable, m => Assert.Equal(m.Layer.Weight.shape, m.Layer.Scores!.shape));
        Assert.DoesNotContain(network.modules(), m => m is Conv2d or Conv1d or Conv3d or Linear);
        Assert.Equal(20, maskable.Count);
        Assert.Equal(maskable.Count, network.modules().OfType<BatchNorm2d>().Count()); // one unmasked BatchNorm per convolution
    }

    [Fact]
    public void WrongNumberOfWidthsIsRefusedNamingTheOption()
    {
        var options = BackbonePlugins.BindOptions("cifar-resnet18", new Dictionary<string, string?> { ["widths:0"] = "8", ["widths:1"] = "16", ["widths:2"] = "32" });

        var problems = options.Validate().ToList();

        Assert.Equal("widths must list exactly 4 channel counts (got 3: [8, 16, 32]).", Assert.Single(problems));
        Assert.Throws<CompatLabUserException>(() => BackbonePlugins.Factory("cifar-resnet18", options));
    }
}
