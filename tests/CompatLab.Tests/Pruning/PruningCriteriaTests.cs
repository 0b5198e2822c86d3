using CompatLab.Abstractions;
using CompatLab.Abstractions.Models;
using CompatLab.Abstractions.Training;
using CompatLab.Engine.Pruning;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace CompatLab.Tests.Pruning;

public class PruningCriteriaTests
{
    private static readonly PruningContext NoGradients = new(7, _ => throw new InvalidOperationException("not a gradient criterion"));

    [Fact]
    public void LearnedScoreIsTheScoreMagnitude()
    {
        using var scope = NewDisposeScope();
        using var layer = new MaskableConv2d(2, 3, 3) { LayerName = "conv" };
        layer.EnableScores();

        var scores = PruningPlugins.Create("learned-score").Score(layer, NoGradients);

        Assert.True(scores.equal(layer.Scores!.abs()).all().item<bool>());
        Assert.False(scores.requires_grad);
    }

    [Fact]
    public void LearnedScoreOnALayerWithoutScoresNamesTheLayer()
    {
        using var layer = new MaskableConv2d(2, 3, 3) { LayerName = "stage1.block0.conv1" };

        var error = Assert.Throws<CompatLabUserException>(() => PruningPlugins.Create("learned-score").Score(layer, NoGradients));

        Assert.Contains("'stage1.block0.conv1'", error.Message);
        Assert.Contains("magnitude", error.Message);
    }

    [Fact]
    public void MagnitudeIsTheWeightMagnitude()
    {
        using var scope = NewDisposeScope();
        using var layer = new MaskableLinear(3, 2) { LayerName = "fc" };
        using (no_grad())
        {
            layer.Weight.copy_(tensor(new float[] { -3, 1, 0, 2, -0.5f, 4 }).reshape(2, 3));
        }

        var scores = PruningPlugins.Create("magnitude").Score(layer, NoGradients);

        Assert.Equal([3f, 1, 0, 2, 0.5f, 4], scores.flatten().data<float>().ToArray());
    }

    [Fact]
    public void RandomIsUniformAndSeededBySeedAndLayerName()
    {
        using var scope = NewDisposeScope();
        using var first = new MaskableConv2d(4, 8, 3) { LayerName = "a" };
        using var second = new MaskableConv2d(4, 8, 3) { LayerName = "b" };
        var criterion = PruningPlugins.Create("random");
        var context = new PruningContext(7, _ => { });

        var scores = criterion.Score(first, context);

        Assert.Equal(first.Weight.shape, scores.shape);
        Assert.True(scores.min().item<float>() >= 0 && scores.max().item<float>() < 1);
        Assert.InRange(scores.mean().item<float>(), 0.4f, 0.6f);
        Assert.True(scores.equal(criterion.Score(first, new PruningContext(7, _ => { }))).all().item<bool>());
        Assert.False(scores.equal(criterion.Score(second, context)).all().item<bool>());
        Assert.False(scores.equal(criterion.Score(first, new PruningContext(8, _ => { }))).all().item<bool>());
    }

    [Theory]
    [InlineData(null, 4)]
    [InlineData(2, 2)]
    public void TaylorIsWeightTimesAccumulatedGradientAccumulatedOncePerContext(int? configured, int expectedBatches)
    {
        using var scope = NewDisposeScope();
        using var first = new MaskableLinear(3, 2) { LayerName = "fc1" };
        using var second = new MaskableLinear(2, 2) { LayerName = "fc2" };
        using var generator = new Generator(4);
        var x = randn(5, 3, generator: generator);
        var asked = new List<int>();
        var context = new PruningContext(1, batches =>
        {
            asked.Add(batches);
            for (int b = 0; b < batches; b++)
            {
                second.call(first.call(x * (b + 1))).square().sum().backward();
            }
        });
        var options = configured is null ? null : new Dictionary<string, object> { ["Batches"] = configured.Value };
        var criterion = PruningPlugins.Create("taylor", options);

        var firstScores = criterion.Score(first, context);
        var secondScores = criterion.Score(second, context);

        Assert.Equal([expectedBatches], asked);
        Assert.True(firstScores.equal((first.Weight * first.Weight.grad!).abs()).all().item<bool>());
        Assert.True(secondScores.equal((second.Weight * second.Weight.grad!).abs()).all().item<bool>());
        Assert.True(firstScores.sum().item<float>() > 0);
    }

    [Fact]
    public void TaylorRefusesFewerThanOneBatch()
    {
        var thrown = Record.Exception(() => PruningPlugins.Create("taylor", new Dictionary<string, object> { ["Batches"] = 0 }));

        var error = Assert.IsType<CompatLabUserException>(thrown?.GetBaseException());
        Assert.Contains("'batches'", error.Message);
    }

    [Fact]
    public void MagnitudeRankingKeepsTheLargestWeightsOfEveryLayer()
    {
        using var scope = NewDisposeScope();
        using var conv = new MaskableConv2d(2, 4, 3) { LayerName = "conv" };
        using var fc = new MaskableLinear(8, 3) { LayerName = "fc" };
        IMaskableLayer[] layers = [conv, fc];

        using var ranking = WeightRanking.FromCriterion(PruningPlugins.Create("magnitude"), layers, NoGradients, PruningScope.Layer);

        Assert.All(Enumerable.Range(0, 2), l =>
        {
            float[] magnitudes = layers[l].Weight.abs().flatten().data<float>().ToArray();
            bool[] kept = ranking.Mask(l, 0.3).flatten().data<float>().ToArray().Select(v => v == 1f).ToArray();
            Assert.Equal(ReferenceMasks.Layer(magnitudes, 0.3), kept);
        });
    }
}
