using CompatLab.Abstractions;
using CompatLab.Abstractions.Models;
using CompatLab.Engine.Pruning;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace CompatLab.Tests.Pruning;

public class StraightThroughMaskTests
{
    [Fact]
    public void LinearScoreGradientIsSignOfScoreTimesWeightTimesMaskedWeightGradient()
    {
        using var scope = NewDisposeScope();
        using var layer = new MaskableLinear(4, 3) { LayerName = "fc" };
        layer.EnableScores();
        using var generator = new Generator(21);
        var x = randn(5, 4, generator: generator);
        var r = randn(5, 3, generator: generator);
        Tensor kept;
        Tensor output;

        using (var masks = StraightThroughMasks.Apply([layer], 0.5))
        {
            kept = masks.Kept[0].clone();
            output = layer.call(x);
            (output * r).sum().backward();
        }

        // L = sum(r * (x W_c^T + b)), so dL/dW_c = r^T x, worked out without autograd.
        var maskedWeightGradient = r.t().mm(x);
        Assert.Equal(6, kept.sum().item<float>());
        Assert.True(output.allclose(x.mm((layer.Weight * kept).t()) + layer.Bias!, rtol: 1e-5, atol: 1e-6));
        Assert.True(layer.Scores!.grad!.allclose(layer.Scores.sign() * layer.Weight * maskedWeightGradient, rtol: 1e-5, atol: 1e-6));
        Assert.True(layer.Weight.grad!.allclose(kept * maskedWeightGradient, rtol: 1e-5, atol: 1e-6));
        Assert.Null(layer.Mask);
    }

    [Fact]
    public void ConvolutionScoreGradientMatchesTheFormula()
    {
        using var scope = NewDisposeScope();
        using var layer = new MaskableConv2d(2, 3, 3, padding: 1) { LayerName = "conv" };
        layer.EnableScores();
        using var generator = new Generator(8);
        var x = randn(2, 2, 5, 5, generator: generator);
        var r = randn(2, 3, 5, 5, generator: generator);
        Tensor kept;

        using (var masks = StraightThroughMasks.Apply([layer], 0.3))
        {
            kept = masks.Kept[0].clone();
            (layer.call(x) * r).sum().backward();
        }

        // dL/dW_c from autograd on a separate leaf holding the masked weight.
        var maskedWeight = (layer.Weight * kept).detach().requires_grad_();
        (nn.functional.conv2d(x, maskedWeight, padding: [1, 1]) * r).sum().backward();
        var maskedWeightGradient = maskedWeight.grad!;

        Assert.Equal(Math.Round(0.3 * 54), kept.sum().item<float>());
        Assert.True(layer.Scores!.grad!.allclose(layer.Scores.sign() * layer.Weight * maskedWeightGradient, rtol: 1e-4, atol: 1e-5));
        Assert.True(layer.Weight.grad!.allclose(kept * maskedWeightGradient, rtol: 1e-4, atol: 1e-5));
    }

    [Fact]
    public void MasksComeFromTheTopScoresAndNestAcrossCapacities()
    {
        using var scope = NewDisposeScope();
        using var layer = new MaskableConv2d(3, 4, 3) { LayerName = "conv" };
        layer.EnableScores();
        using var ranking = StraightThroughMasks.RankScores([layer]);
        float[] magnitudes = layer.Scores!.abs().flatten().data<float>().ToArray();

        Tensor? larger = null;
        foreach (double capacity in new[] { 1.0, 0.6, 0.2 })
        {
            using var masks = StraightThroughMasks.Apply([layer], ranking, capacity);
            var kept = masks.Kept[0].clone();
            bool[] expected = ReferenceMasks.Layer(magnitudes, capacity);
            Assert.Equal(expected, kept.flatten().data<float>().ToArray().Select(v => v == 1f).ToArray());
            Assert.True(layer.Mask!.equal(kept).all().item<bool>()); // the applied mask's value is the 0/1 mask
            if (larger is not null)
            {
                Assert.Equal(0f, (kept * (1 - larger)).sum().item<float>());
            }

            larger = kept;
        }
    }

    [Fact]
    public void DisposingGivesEachLayerItsPreviousMaskBack()
    {
        using var scope = NewDisposeScope();
        using var layer = new MaskableLinear(3, 2) { LayerName = "fc" };
        layer.EnableScores();
        var fixedMask = ones(2, 3);
        layer.Mask = fixedMask;

        using (StraightThroughMasks.Apply([layer], 0.5))
        {
            Assert.NotSame(fixedMask, layer.Mask);
        }

        Assert.Same(fixedMask, layer.Mask);
    }

    [Fact]
    public void LayerWithoutScoresIsRefusedByName()
    {
        using var layer = new MaskableLinear(3, 2) { LayerName = "head.fc" };

        var error = Assert.Throws<CompatLabUserException>(() => StraightThroughMasks.Apply([layer], 0.5));

        Assert.Contains("'head.fc'", error.Message);
    }
}
