using CompatLab.Abstractions.Models;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace CompatLab.Tests.Backbones;

/// <summary>
/// Recomputes each backbone with functional ops straight from its state dict, written from the architecture's
/// description, so strides, shortcuts, pooling and the order of operations are all checked.
/// </summary>
public class ReferenceForwardTests
{
    [Theory]
    [InlineData(28)]
    [InlineData(15)]
    public void ResNetMiniMatchesAFunctionalReference(long side)
    {
        using var scope = torch.NewDisposeScope();
        var settings = new Dictionary<string, string?> { ["widths:0"] = "4", ["widths:1"] = "6", ["widths:2"] = "8", ["blocksPerStage"] = "2" };
        using var network = BackbonePlugins.Create("resnet-mini", channels: 3, side: side, settings: settings);
        RandomiseNorms(network);
        network.eval();
        var input = torch.randn(2, 3, side, side);
        var state = network.state_dict();

        var x = ConvNorm(state, "stem", input, stride: 1).relu();
        foreach (var (stage, stride) in new[] { ("stage1", 1L), ("stage2", 2L), ("stage3", 2L) })
        {
            for (int block = 0; block < 2; block++)
            {
                string prefix = $"{stage}.block{block}";
                long blockStride = block == 0 ? stride : 1;
                var hidden = ConvNorm(state, prefix, x, blockStride, "conv1", "norm1").relu();
                var residual = ConvNorm(state, prefix, hidden, 1, "conv2", "norm2");
                var shortcut = state.ContainsKey($"{prefix}.shortcut.conv.weight")
                    ? ConvNorm(state, $"{prefix}.shortcut", x, blockStride)
                    : x;
                x = (residual + shortcut).relu();
            }
        }

        var expected = x.mean([2, 3]);

        Assert.True(network.call(input).allclose(expected, rtol: 1e-4, atol: 1e-5));
        Assert.False(state.ContainsKey("stage1.block0.shortcut.conv.weight"));
        Assert.True(state.ContainsKey("stage2.block0.shortcut.conv.weight"));
        Assert.False(state.ContainsKey("stage2.block1.shortcut.conv.weight"));
    }

    [Fact]
    public void Cnn4MatchesAFunctionalReference()
    {
        using var scope = torch.NewDisposeScope();
        var settings = new Dictionary<string, string?> { ["widths:0"] = "4", ["widths:1"] = "6", ["widths:2"] = "8", ["widths:3"] = "5" };
        using var network = BackbonePlugins.Create("cnn4", channels: 1, side: 28, settings: settings);
        RandomiseNorms(network);
        network.eval();
        var input = torch.randn(2, 1, 28, 28);
        var state = network.state_dict();

        var x = input;
        for (int block = 1; block <= 4; block++)
        {
            x = ConvNorm(state, $"block{block}", x, stride: 1).relu();
            if (block < 4)
            {
                x = F.max_pool2d(x, 2);
            }
        }

        var expected = x.mean([2, 3]);

        Assert.True(network.call(input).allclose(expected, rtol: 1e-4, atol: 1e-5));
    }

    private static Tensor ConvNorm(
        Dictionary<string, Tensor> state, string prefix, Tensor input, long stride, string conv = "conv", string norm = "norm")
    {
        var weight = state[$"{prefix}.{conv}.weight"];
        long padding = weight.shape[^1] / 2;
        var convolved = F.conv2d(input, weight, strides: [stride, stride], padding: [padding, padding]);
        string n = $"{prefix}.{norm}";
        return F.batch_norm(
            convolved, state[$"{n}.running_mean"], state[$"{n}.running_var"], state[$"{n}.weight"], state[$"{n}.bias"], training: false);
    }

    private static void RandomiseNorms(FeatureExtractor network)
    {
        // Fresh norms are the identity in eval mode; random statistics and affine terms make the check meaningful.
        using var noGrad = torch.no_grad();
        foreach (var (name, tensor) in network.state_dict())
        {
            if (name.EndsWith("running_var") || (name.Contains("norm") && name.EndsWith("weight")))
            {
                tensor.uniform_(0.5, 1.5);
            }
            else if (name.EndsWith("running_mean") || (name.Contains("norm") && name.EndsWith("bias")))
            {
                tensor.normal_(0, 0.2);
            }
        }
    }
}
