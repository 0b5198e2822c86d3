using CompatLab.Abstractions.Models;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace CompatLab.Tests.Backbones;

public class BackboneShapeTests
{
    public static TheoryData<string, long, long, long> Inputs()
    {
        var data = new TheoryData<string, long, long, long>();
        foreach (string name in BackbonePlugins.Names)
        {
            foreach (long channels in new long[] { 1, 3 })
            {
                foreach (long side in new long[] { 28, 32 })
                {
                    data.Add(name, channels, side, name == "cnn4" ? 128 : 64);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void FeaturesAreBatchByOutputDim(string name, long channels, long side, long expectedDim)
    {
        using var scope = torch.NewDisposeScope();
        using var network = BackbonePlugins.Create(name, channels, side);
        Assert.Equal(expectedDim, network.OutputDim);

        var features = network.call(torch.randn(3, channels, side, side));

        Assert.Equal(new[] { 3L, expectedDim }, features.shape);
    }

    [Fact]
    public void OutputDimFollowsTheLastWidth()
    {
        using var scope = torch.NewDisposeScope();
        using var resnet = BackbonePlugins.Create("resnet-mini", settings: Widths(4, 6, 10));
        using var cnn = BackbonePlugins.Create("cnn4", settings: Widths(4, 6, 8, 12));

        Assert.Equal(10, resnet.OutputDim);
        Assert.Equal(12, cnn.OutputDim);
        Assert.Equal(new[] { 2L, 10L }, resnet.call(torch.randn(2, 1, 28, 28)).shape);
        Assert.Equal(new[] { 2L, 12L }, cnn.call(torch.randn(2, 1, 28, 28)).shape);
    }

    [Theory]
    [InlineData("resnet-mini", 77_104)]
    [InlineData("cnn4", 240_608)]
    public void DefaultParameterCountMatchesTheHandCount(string name, long expected)
    {
        // resnet-mini, 1 channel: convs 144 + 4608 + 13824 + 512 + 55296 + 2048, plus 2 x 336 norm channels.
        // cnn4, 1 channel: convs 9 x (32 + 32*64 + 64*128 + 128*128), plus 2 x 352 norm channels.
        using var network = BackbonePlugins.Create(name);

        Assert.Equal(expected, network.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void Cnn4RefusesImagesTooSmallForThreePools()
    {
        var factory = BackbonePlugins.Factory("cnn4");

        var error = Assert.Throws<CompatLab.Abstractions.CompatLabUserException>(
            () => factory.Create(new BackboneContext(1, 7, 28, new MaskableLayerFactory())));

        Assert.Contains("cnn4", error.Message);
        Assert.Contains("1x7x28", error.Message);
        using var smallest = factory.Create(new BackboneContext(1, 8, 8, new MaskableLayerFactory()));
        using var scope = torch.NewDisposeScope();
        Assert.Equal(new[] { 2L, 128L }, smallest.call(torch.randn(2, 1, 8, 8)).shape);
    }

    private static Dictionary<string, string?> Widths(params int[] widths) =>
        widths.Select((w, i) => ($"widths:{i}", (string?)w.ToString())).ToDictionary(p => p.Item1, p => p.Item2);
}
