using CompatLab.Abstractions;
using CompatLab.Engine.Evaluation;
using TorchSharp;
using Xunit;
using static CompatLab.Tests.Evaluation.RetrievalTestData;

namespace CompatLab.Tests.Evaluation;

public class RetrievalEvaluatorTests
{
    private const double Tolerance = 1e-6;
    private const int K = 5;
    private static readonly int[] RecallKs = [1, 3, 5];

    public static TheoryData<int, int, bool> SeedsChunksAndSelfExclusion()
    {
        var data = new TheoryData<int, int, bool>();
        foreach (int seed in new[] { 1, 2, 3 })
        {
            foreach (int chunk in new[] { 1, 7, 1000 })
            {
                data.Add(seed, chunk, true);
                data.Add(seed, chunk, false);
            }
        }

        return data;
    }

    public static TheoryData<int, int> SeedsAndChunks()
    {
        var data = new TheoryData<int, int>();
        foreach (int seed in new[] { 1, 2, 3 })
        {
            foreach (int chunk in new[] { 1, 7, 1000 })
            {
                data.Add(seed, chunk);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SeedsChunksAndSelfExclusion))]
    public void SelfTestMatchesBruteForce(int seed, int chunk, bool excludeSelf)
    {
        var random = new Random(seed);
        float[][] features = Gaussian(random, 23, 5);
        Duplicate(random, features, 4);
        long[] labels = Labels(random, 23, 4);
        labels[random.Next(23)] = 99; // a class of one: no relevant item once its own image is excluded

        AssertMatchesBruteForce(features, labels, features, labels, excludeSelf, chunk);
    }

    [Theory]
    [MemberData(nameof(SeedsAndChunks))]
    public void CrossTestMatchesBruteForce(int seed, int chunk)
    {
        var random = new Random(seed);
        float[][] newFeatures = Gaussian(random, 23, 5);
        float[][] oldFeatures = WithNoise(random, newFeatures, 0.8f);
        Duplicate(random, oldFeatures, 4);
        long[] labels = Labels(random, 23, 3);

        AssertMatchesBruteForce(newFeatures, labels, oldFeatures, labels, excludeSelf: true, chunk);
    }

    [Theory]
    [MemberData(nameof(SeedsAndChunks))]
    public void SeparateQueryAndGallerySetsMatchBruteForce(int seed, int chunk)
    {
        var random = new Random(seed);
        float[][] queries = Gaussian(random, 9, 4);
        float[][] gallery = Gaussian(random, 31, 4);
        Duplicate(random, gallery, 5);
        long[] queryLabels = Labels(random, 9, 5);
        queryLabels[0] = 42; // absent from the gallery

        AssertMatchesBruteForce(queries, queryLabels, gallery, Labels(random, 31, 5), excludeSelf: false, chunk);
    }

    [Theory]
    [MemberData(nameof(SeedsAndChunks))]
    public void ManyExactTiesMatchBruteForce(int seed, int chunk)
    {
        var random = new Random(seed);
        float[][] features = Lattice(random, 40, 3);
        long[] labels = Labels(random, 40, 3);

        AssertMatchesBruteForce(features, labels, features, labels, excludeSelf: true, chunk);
        AssertMatchesBruteForce(features, labels, features, labels, excludeSelf: false, chunk);
    }

    [Fact]
    public void ChunkSizeDoesNotChangeTheScores()
    {
        var random = new Random(17);
        float[][] features = Gaussian(random, 600, 16);
        Duplicate(random, features, 50);
        using var x = Tensor(features);
        using var y = Tensor(Labels(random, 600, 10));

        RetrievalMetrics whole = new RetrievalEvaluator(new RetrievalEvaluatorOptions { QueryChunkSize = 600 }).Evaluate(x, y, x, y, true);
        RetrievalMetrics chunked = new RetrievalEvaluator(new RetrievalEvaluatorOptions { QueryChunkSize = 97 }).Evaluate(x, y, x, y, true);

        Assert.Equal(whole.Map, chunked.Map, 1e-12);
        Assert.Equal(whole.MapAtK, chunked.MapAtK, 1e-12);
        Assert.Equal(whole.RecallAtK[1], chunked.RecallAtK[1]);
    }

    [Fact]
    public void FourItemSelfTestMatchesHandComputedValues()
    {
        // Similarities: 0-1 0.8, 0-2 0, 0-3 -1, 1-2 0.6, 1-3 -0.8, 2-3 0. Rankings without self, + = same class:
        // q0: 1+ 2 3+ -> AP (1 + 2/3) / 2;  q1: 0+ 2 3+ -> AP (1 + 2/3) / 2;  q3: 2 1+ 0+ -> AP (1/2 + 2/3) / 2;
        // q2 is alone in its class, so it is left out.
        using var features = torch.tensor(new float[] { 1, 0, 0.8f, 0.6f, 0, 1, -1, 0 }, [4, 2]);
        using var labels = torch.tensor(new long[] { 0, 0, 1, 0 });
        var evaluator = new RetrievalEvaluator(new RetrievalEvaluatorOptions { MapAtK = 2, RecallAtK = [1, 2] });

        RetrievalMetrics metrics = evaluator.Evaluate(features, labels, features, labels, excludeSelf: true);

        Assert.Equal(0.75, metrics.Map, Tolerance);
        Assert.Equal((0.5 + 0.5 + 0.25) / 3, metrics.MapAtK, Tolerance); // AP@2 divides by min(2, 2)
        Assert.Equal(2, metrics.K);
        Assert.Equal(2.0 / 3, metrics.RecallAtK[1], Tolerance);
        Assert.Equal(1.0, metrics.RecallAtK[2], Tolerance);
        Assert.Equal(4, metrics.QueryCount);
        Assert.Equal(1, metrics.QueriesWithoutRelevant);
        Assert.Equal(3, metrics.ScoredQueryCount);
    }

    [Fact]
    public void OneQueryAgainstFourItemsMatchesHandComputedValues()
    {
        // Gallery at 60, 0, 90 and 30 degrees from the query ranks 1, 3, 0, 2; only item 1 is of another class,
        // so hits come at ranks 2, 3, 4.
        double c30 = Math.Sqrt(3) / 2;
        using var query = torch.tensor(new float[] { 1, 0 }, [1, 2]);
        using var queryLabel = torch.tensor(new long[] { 0 });
        using var gallery = torch.tensor(new float[] { 0.5f, (float)c30, 1, 0, 0, 1, (float)c30, 0.5f }, [4, 2]);
        using var galleryLabels = torch.tensor(new long[] { 0, 1, 0, 0 });
        var evaluator = new RetrievalEvaluator(new RetrievalEvaluatorOptions { MapAtK = 2, RecallAtK = [1, 2] });

        RetrievalMetrics metrics = evaluator.Evaluate(query, queryLabel, gallery, galleryLabels, excludeSelf: false);

        Assert.Equal((1.0 / 2 + 2.0 / 3 + 3.0 / 4) / 3, metrics.Map, Tolerance);
        Assert.Equal(0.5 / 2, metrics.MapAtK, Tolerance);
        Assert.Equal(0.0, metrics.RecallAtK[1], Tolerance);
        Assert.Equal(1.0, metrics.RecallAtK[2], Tolerance);
    }

    [Theory]
    [InlineData(0L, 1L, 0.5)] // the relevant twin comes first: hit at rank 2
    [InlineData(1L, 0L, 1.0 / 3)] // the irrelevant twin comes first: hit at rank 3
    public void TiedItemsRankByAscendingGalleryIndex(long firstTwinLabel, long secondTwinLabel, double expectedAp)
    {
        using var query = torch.tensor(new float[] { 1, 0 }, [1, 2]);
        using var queryLabel = torch.tensor(new long[] { 0 });
        using var gallery = torch.tensor(new float[] { 0, 1, 0, 1, 1, 0 }, [3, 2]);
        using var galleryLabels = torch.tensor(new long[] { firstTwinLabel, secondTwinLabel, 1 });

        RetrievalMetrics metrics = new RetrievalEvaluator().Evaluate(query, queryLabel, gallery, galleryLabels, excludeSelf: false);

        Assert.Equal(expectedAp, metrics.Map, Tolerance);
    }

    [Fact]
    public void FeaturesThatSeparateClassesPerfectlyScoreOne()
    {
        var random = new Random(5);
        long[] labels = Labels(random, 50, 4);
        float[][] features = labels.Select(c => Enumerable.Range(0, 4).Select(j => j == c ? 1f + (float)random.NextDouble() : 0.01f).ToArray()).ToArray();
        using var x = Tensor(features);
        using var y = Tensor(labels);

        RetrievalMetrics metrics = new RetrievalEvaluator(new RetrievalEvaluatorOptions { QueryChunkSize = 16 })
            .Evaluate(x, y, x, y, excludeSelf: true);

        Assert.Equal(1.0, metrics.Map, Tolerance);
        Assert.Equal(1.0, metrics.MapAtK, Tolerance);
        Assert.Equal(1.0, metrics.RecallAtK[1], Tolerance);
        Assert.Equal(0, metrics.QueriesWithoutRelevant);
    }

    [Fact]
    public void WhenNoQueryHasARelevantItemTheMeansAreNaN()
    {
        using var features = torch.randn(3, 4, generator: new torch.Generator(7));
        using var labels = torch.tensor(new long[] { 0, 1, 2 });

        RetrievalMetrics metrics = new RetrievalEvaluator().Evaluate(features, labels, features, labels, excludeSelf: true);

        Assert.True(double.IsNaN(metrics.Map));
        Assert.True(double.IsNaN(metrics.MapAtK));
        Assert.True(double.IsNaN(metrics.RecallAtK[1]));
        Assert.Equal(3, metrics.QueriesWithoutRelevant);
    }

    [Fact]
    public void KLargerThanTheGalleryCoversTheWholeRanking()
    {
        var random = new Random(11);
        float[][] features = Gaussian(random, 12, 3);
        long[] labels = Labels(random, 12, 3);
        using var x = Tensor(features);
        using var y = Tensor(labels);
        var evaluator = new RetrievalEvaluator(new RetrievalEvaluatorOptions { MapAtK = 100, RecallAtK = [100] });

        RetrievalMetrics metrics = evaluator.Evaluate(x, y, x, y, excludeSelf: true);

        Assert.Equal(metrics.Map, metrics.MapAtK, Tolerance);
        Assert.Equal(1.0, metrics.RecallAtK[100], Tolerance);
    }

    [Fact]
    public void DoubleFeaturesAndInt32LabelsGiveTheSameScores()
    {
        var random = new Random(13);
        float[][] features = Gaussian(random, 20, 4);
        long[] labels = Labels(random, 20, 3);
        using var x = Tensor(features);
        using var y = Tensor(labels);
        using var x64 = x.to(torch.float64);
        using var y32 = y.to(torch.int32);
        var evaluator = new RetrievalEvaluator();

        RetrievalMetrics single = evaluator.Evaluate(x, y, x, y, excludeSelf: true);
        RetrievalMetrics mixed = evaluator.Evaluate(x64, y32, x, y, excludeSelf: true);

        Assert.Equal(single.Map, mixed.Map, Tolerance);
        Assert.Equal(single.RecallAtK[1], mixed.RecallAtK[1], Tolerance);
    }

    [Fact]
    public void EvaluationLeavesNoTensorsBehind()
    {
        using var features = torch.randn(30, 4, generator: new torch.Generator(3));
        using var labels = torch.randint(0, 3, [30], dtype: torch.int64, generator: new torch.Generator(4));
        var evaluator = new RetrievalEvaluator(new RetrievalEvaluatorOptions { QueryChunkSize = 7 });
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        evaluator.Evaluate(features, labels, features, labels, excludeSelf: true);

        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Theory]
    [InlineData(0, 100, 1, "queryChunkSize")]
    [InlineData(64, 0, 1, "mapAtK")]
    [InlineData(64, 100, -1, "recallAtK")]
    public void InvalidOptionsAreReportedByName(int chunk, int mapK, int recallK, string optionName)
    {
        var options = new RetrievalEvaluatorOptions { QueryChunkSize = chunk, MapAtK = mapK, RecallAtK = [recallK] };

        var error = Assert.Throws<CompatLabUserException>(() => new RetrievalEvaluator(options));

        Assert.Contains(optionName, error.Message);
    }

    [Fact]
    public void RecallKsDefaultToOneAndAreDeduplicatedInOrder()
    {
        Assert.Equal([1], new RetrievalEvaluatorOptions().EffectiveRecallKs);
        Assert.Equal([1, 5, 10], new RetrievalEvaluatorOptions { RecallAtK = [10, 1, 5, 1] }.EffectiveRecallKs);
    }

    [Fact]
    public void MismatchedInputsAreRejected()
    {
        using var features = torch.randn(5, 3);
        using var labels = torch.zeros(5, torch.int64);
        using var shortLabels = torch.zeros(4, torch.int64);
        using var otherDim = torch.randn(5, 4);
        using var smallerGallery = torch.randn(4, 3);
        using var withNaN = torch.full(5, 3, double.NaN);
        var evaluator = new RetrievalEvaluator();

        Assert.Throws<ArgumentException>(() => evaluator.Evaluate(features, shortLabels, features, labels, false));
        Assert.Throws<ArgumentException>(() => evaluator.Evaluate(features, labels, otherDim, labels, false));
        Assert.Throws<ArgumentException>(() => evaluator.Evaluate(features, labels, smallerGallery, shortLabels, true));
        Assert.Throws<ArgumentException>(() => evaluator.Evaluate(withNaN, labels, features, labels, false));
        using var emptyGallery = torch.zeros(0, 3);
        using var noLabels = torch.zeros(0, torch.int64);
        Assert.Throws<ArgumentException>(() => evaluator.Evaluate(features, labels, emptyGallery, noLabels, false));
    }

    private static void AssertMatchesBruteForce(
        float[][] queries, long[] queryLabels, float[][] gallery, long[] galleryLabels, bool excludeSelf, int chunk)
    {
        var expected = BruteForceRetrieval.Evaluate(queries, queryLabels, gallery, galleryLabels, excludeSelf, K, RecallKs);
        using var q = Tensor(queries);
        using var qy = Tensor(queryLabels);
        using var g = Tensor(gallery);
        using var gy = Tensor(galleryLabels);
        var evaluator = new RetrievalEvaluator(new RetrievalEvaluatorOptions { QueryChunkSize = chunk, MapAtK = K, RecallAtK = RecallKs });

        RetrievalMetrics actual = evaluator.Evaluate(q, qy, g, gy, excludeSelf);

        Assert.Equal(expected.Map, actual.Map, Tolerance);
        Assert.Equal(expected.MapAtK, actual.MapAtK, Tolerance);
        foreach (int k in RecallKs)
        {
            Assert.Equal(expected.RecallAtK[k], actual.RecallAtK[k], Tolerance);
        }

        Assert.Equal(expected.WithoutRelevant, actual.QueriesWithoutRelevant);
        Assert.Equal(queries.Length, actual.QueryCount);
    }
}
