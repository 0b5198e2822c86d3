using CompatLab.Abstractions.Models;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace CompatLab.Tests.Backbones;

public class MaskableLayerTests
{
    public static TheoryData<string, Dictionary<string, string?>, string[]> LayerNames() => new()
    {
        {
            "resnet-mini",
            new Dictionary<string, string?>(),
            [
                "stem.conv", "stage1.block0.conv1", "stage1.block0.conv2",
                "stage2.block0.conv1", "stage2.block0.conv2", "stage2.block0.shortcut.conv",
                "stage3.block0.conv1", "stage3.block0.conv2", "stage3.block0.shortcut.conv",
            ]
        },
        {
            "resnet-mini",
            new Dictionary<string, string?> { ["blocksPerStage"] = "2", ["widths:0"] = "8", ["widths:1"] = "8", ["widths:2"] = "16" },
            [
                "stem.conv", "stage1.block0.conv1", "stage1.block0.conv2", "stage1.block1.conv1", "stage1.block1.conv2",
                "stage2.block0.conv1", "stage2.block0.conv2", "stage2.block0.shortcut.conv",
                "stage2.block1.conv1", "stage2.block1.conv2",
                "stage3.block0.conv1", "stage3.block0.conv2", "stage3.block0.shortcut.conv",
                "stage3.block1.conv1", "stage3.block1.conv2",
            ]
        },
        {
            "cnn4",
            new Dictionary<string, string?>(),
            ["block1.conv", "block2.conv", "block3.conv", "block4.conv"]
        },
    };

    [Theory]
    [MemberData(nameof(LayerNames))]
    public void EveryConvolutionIsMaskableUnderAStableName(string name, Dictionary<string, string?> settings, string[] expected)
    {
        using var network = BackbonePlugins.Create(name, settings: settings);

        var maskable = BackbonePlugins.MaskableLayers(network);

        Assert.Equal(expected, maskable.Select(m => m.Name));
        Assert.DoesNotContain(network.modules(), m => m is Conv2d or Conv1d or Conv3d or Linear);
    }

    [Fact]
    public void ClassicResNet20HasNineteenConvolutionsPlusTwoShortcuts()
    {
        using var network = BackbonePlugins.Create("resnet-mini", settings: new Dictionary<string, string?> { ["blocksPerStage"] = "3" });

        Assert.Equal(1 + (3 * 3 * 2) + 2, BackbonePlugins.MaskableLayers(network).Count);
    }

    [Theory]
    [InlineData("resnet-mini")]
    [InlineData("cnn4")]
    public void ConvolutionsComeFromTheHostsLayerFactory(string name)
    {
        var layers = new CountingLayerFactory();

        using var network = BackbonePlugins.Create(name, channels: 3, layers: layers);

        Assert.Equal(BackbonePlugins.MaskableLayers(network).Count, layers.Convolutions);
        Assert.Equal(3, layers.FirstInputChannels);
    }

    [Theory]
    [InlineData("resnet-mini")]
    [InlineData("cnn4")]
    public void ZeroMasksSilenceTheNetworkAndOneMasksChangeNothing(string name)
    {
        using var scope = torch.NewDisposeScope();
        using var network = BackbonePlugins.Create(name, channels: 3);
        network.eval();
        var input = torch.randn(4, 3, 28, 28);
        var dense = network.call(input);
        var layers = BackbonePlugins.MaskableLayers(network).Select(m => m.Layer).ToList();

        layers.ForEach(l => l.Mask = torch.ones_like(l.Weight));
        var allKept = network.call(input);
        layers.ForEach(l => l.Mask = torch.zeros_like(l.Weight));
        var noneKept = network.call(input);

        // With every weight masked each convolution gives zeros; fresh eval-mode batch norm (mean 0, variance 1,
        // scale 1, shift 0) keeps them zero, so the features are exactly zero.
        Assert.True(allKept.equal(dense).all().item<bool>());
        Assert.True(dense.abs().sum().item<float>() > 0);
        Assert.Equal(0f, noneKept.abs().max().item<float>());
    }

    [Theory]
    [InlineData("resnet-mini")]
    [InlineData("cnn4")]
    public void ScoringFactoryGivesEveryMaskableLayerScoresOfItsWeightsShape(string name)
    {
        using var network = BackbonePlugins.Create(name, layers: new MaskableLayerFactory(withScores: true));

        var maskable = BackbonePlugins.MaskableLayers(network);
        var parameterNames = network.named_parameters().Select(p => p.name).ToHashSet();

        Assert.NotEmpty(maskable);
        Assert.All(maskable, m =>
        {
            Assert.NotNull(m.Layer.Scores);
            Assert.Equal(m.Layer.Weight.shape, m.Layer.Scores!.shape);
            Assert.Contains($"{m.Name}.scores", parameterNames);
        });
    }

    [Fact]
    public void PlainFactoryGivesNoScores()
    {
        using var network = BackbonePlugins.Create("resnet-mini");

        Assert.All(BackbonePlugins.MaskableLayers(network), m => Assert.Null(m.Layer.Scores));
    }

    private sealed class CountingLayerFactory : ILayerFactory
    {
        private readonly MaskableLayerFactory inner = new();

        public int Convolutions { get; private set; }

        public long FirstInputChannels { get; private set; } = -1;

        public nn.Module<Tensor, Tensor> Conv2d(long inChannels, long outChannels, long kernelSize, long stride = 1, long padding = 0, bool bias = false)
        {
            if (Convolutions++ == 0)
            {
                FirstInputChannels = inChannels;
            }

            return inner.Conv2d(inChannels, outChannels, kernelSize, stride, padding, bias);
        }

        public nn.Module<Tensor, Tensor> Linear(long inFeatures, long outFeatures, bool bias = true) =>
            inner.Linear(inFeatures, outFeatures, bias);
    }
}
