using CompatLab.Abstractions;
using CompatLab.Engine.Pruning;
using Xunit;
using static TorchSharp.torch;

namespace CompatLab.Tests.Pruning;

public class WeightRankingTests
{
    private static readonly double[] Capacities = [1.0, 0.8, 0.6, 0.45, 0.4, 0.25, 0.2, 0.05, 0.01];

    // Shapes of a conv (4 filters of 2x3x3), a linear (5x7) and a small 1-D tensor; integer scores force many ties.
    private static readonly long[][] Shapes = [[4, 2, 3, 3], [5, 7], [3]];

    [Fact]
    public void LayerScopeKeepsRoundedCountPerLayerMatchesBruteForceAndNests()
    {
        using var scope = NewDisposeScope();
        float[][] scores = TiedScores(Shapes, seed: 3);
        using var ranking = WeightRanking.Build(ToTensors(scores, Shapes), PruningScope.Layer);

        bool[][]? larger = null;
        foreach (double capacity in Capacities)
        {
            bool[][] masks = MasksOf(ranking, capacity);
            for (int l = 0; l < scores.Length; l++)
            {
                long n = scores[l].Length;
                long expectedCount = Math.Max(1, (long)Math.Round(capacity * n, MidpointRounding.AwayFromZero));
                Assert.Equal(expectedCount, masks[l].Count(k => k));
                Assert.Equal(expectedCount, ranking.KeptIn(l, capacity));
                Assert.Equal(ReferenceMasks.Layer(scores[l], capacity), masks[l]);
                if (larger is not null)
                {
                    Assert.All(Enumerable.Range(0, (int)n), i => Assert.True(!masks[l][i] || larger[l][i]));
                }
            }

            larger = masks;
        }
    }

    [Fact]
    public void CountsRoundHalvesUpAndKeepAtLeastOne()
    {
        Assert.Equal(3, KeepCounts.ForCapacity(5, 0.5));
        Assert.Equal(2, KeepCounts.ForCapacity(5, 0.4));
        Assert.Equal(1, KeepCounts.ForCapacity(10, 0.01));
        Assert.Equal(10, KeepCounts.ForCapacity(10, 1.0));
        Assert.Equal(1, KeepCounts.GlobalFloor(10));
        Assert.Equal(1, KeepCounts.GlobalFloor(50));
        Assert.Equal(2, KeepCounts.GlobalFloor(100));
        Assert.Equal(3, KeepCounts.GlobalFloor(101));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.2)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void CapacityOutsideZeroToOneIsAUserMistake(double capacity)
    {
        var error = Assert.Throws<CompatLabUserException>(() => KeepCounts.ForCapacity(10, capacity));

        Assert.Contains("(0, 1]", error.Message);
    }

    [Fact]
    public void EqualScoresKeepTheEarliestPositions()
    {
        using var scope = NewDisposeScope();
        using var ranking = WeightRanking.Build([full(2, 5, 7f)], PruningScope.Layer);

        Assert.Equal([1f, 1, 1, 1, 0, 0, 0, 0, 0, 0], ranking.Mask(0, 0.4).flatten().data<float>().ToArray());
    }

    [Fact]
    public void GlobalScopeUsesOneOrderAboveEveryLayersFloor()
    {
        using var scope = NewDisposeScope();

        // Layer 0 (120 weights) scores 100..219, layer 1 (300 weights) scores below 1, layer 2 (10 weights) 50..59.
        // At c = 0.1 the network keeps round(43) = 43 weights; the floors are 3, 6 and 1. The remaining 33 all
        // come from layer 0, whose every score beats the others.
        float[][] scores =
        [
            Enumerable.Range(0, 120).Select(i => 100f + i).ToArray(),
            Enumerable.Range(0, 300).Select(i => i / 300f).ToArray(),
            Enumerable.Range(0, 10).Select(i => 50f + i).ToArray(),
        ];
        long[][] shapes = [[120], [300], [10]];
        using var ranking = WeightRanking.Build(ToTensors(scores, shapes), PruningScope.Global);

        Assert.Equal(3 + 33, ranking.KeptIn(0, 0.1));
        Assert.Equal(6, ranking.KeptIn(1, 0.1));
        Assert.Equal(1, ranking.KeptIn(2, 0.1));
        Assert.Equal([3L, 6, 1], new long[] { ranking.KeptIn(0, 0.001), ranking.KeptIn(1, 0.001), ranking.KeptIn(2, 0.001) });
        Assert.True(ranking.Mask(1, 0.1).flatten()[299].item<float>() == 1f); // the floor keeps the layer's best
    }

    [Fact]
    public void GlobalScopeMatchesBruteForceAndNests()
    {
        using var scope = NewDisposeScope();
        long[][] shapes = [[8, 4, 3, 3], [60], [5, 9]];
        float[][] scores = TiedScores(shapes, seed: 9);
        using var ranking = WeightRanking.Build(ToTensors(scores, shapes), PruningScope.Global);

        bool[][]? larger = null;
        foreach (double capacity in Capacities)
        {
            bool[][] masks = MasksOf(ranking, capacity);
            bool[][] expected = ReferenceMasks.Global(scores, capacity);
            long total = scores.Sum(s => (long)s.Length);
            long floors = scores.Sum(s => KeepCounts.GlobalFloor(s.Length));
            Assert.Equal(Math.Max(KeepCounts.ForCapacity(total, capacity), floors), masks.Sum(m => (long)m.Count(k => k)));
            for (int l = 0; l < scores.Length; l++)
            {
                Assert.Equal(expected[l], masks[l]);
                Assert.True(masks[l].Count(k => k) >= KeepCounts.GlobalFloor(scores[l].Length));
                if (larger is not null)
                {
                    Assert.All(Enumerable.Range(0, masks[l].Length), i => Assert.True(!masks[l][i] || larger[l][i]));
                }
            }

            larger = masks;
        }
    }

    [Fact]
    public void MasksHaveTheScoresShape()
    {
        using var scope = NewDisposeScope();
        using var ranking = WeightRanking.Build(ToTensors(TiedScores(Shapes, seed: 1), Shapes), PruningScope.Layer);

        Assert.All(Enumerable.Range(0, Shapes.Length), l => Assert.Equal(Shapes[l], ranking.Mask(l, 0.5).shape));
    }

    [Fact]
    public void UnknownScopeNameIsAUserMistake()
    {
        var error = Assert.Throws<CompatLabUserException>(() => PruningScopeNames.Parse("per-layer", "prune:scope"));

        Assert.Contains("'per-layer'", error.Message);
        Assert.Equal(PruningScope.Global, PruningScopeNames.Parse("global", "prune:scope"));
    }

    internal static float[][] TiedScores(long[][] shapes, int seed)
    {
        var random = new Random(seed);
        return shapes.Select(s => Enumerable.Range(0, (int)s.Aggregate(1L, (a, b) => a * b)).Select(_ => (float)random.Next(10)).ToArray()).ToArray();
    }

    internal static List<Tensor> ToTensors(float[][] scores, long[][] shapes) =>
        scores.Select((s, l) => tensor(s).reshape(shapes[l])).ToList();

    private static bool[][] MasksOf(WeightRanking ranking, double capacity) =>
        ranking.Masks(capacity).Select(m =>
        {
            Assert.All(m.flatten().data<float>().ToArray(), v => Assert.True(v is 0f or 1f));
            return m.flatten().data<float>().ToArray().Select(v => v == 1f).ToArray();
        }).ToArray();
}
