using CompatLab.Engine.Evaluation;
using TorchSharp;
using Xunit;
using static CompatLab.Tests.Evaluation.RetrievalTestData;

namespace CompatLab.Tests.Evaluation;

/// <summary>The streamed top-k evaluation must give exactly the full-gallery evaluator's mAP@k and Recall@k.</summary>
public class StreamedRetrievalEvaluatorTests
{
    public static TheoryData<int, int, bool> SeedsGalleryChunksAndSelfExclusion()
    {
        var data = new TheoryData<int, int, bool>();
        foreach (int seed in new[] { 1, 2, 3 })
        {
            foreach (int galleryChunk in new[] { 1, 4, 7, 1000 })
            {
                data.Add(seed, galleryChunk, true);
                data.Add(seed, galleryChunk, false);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SeedsGalleryChunksAndSelfExclusion))]
    public void GaussianFeaturesWithDuplicatesMatchTheFullRanking(int seed, int galleryChunk, bool excludeSelf)
    {
        var random = new Random(seed);
        float[][] features = Gaussian(random, 41, 5);
        Duplicate(random, features, 6);
        long[] labels = Labels(random, 41, 4);
        labels[random.Next(41)] = 99; // alone in its class: no relevant item once its own image is excluded

        AssertSameAsFullRanking(features, labels, features, labels, excludeSelf, galleryChunk, queryChunk: 7);
    }

    [Theory]
    [InlineData(1, 3)]
    [InlineData(2, 5)]
    [InlineData(3, 64)]
    public void LatticeFeaturesFullOfExactTiesMatchTheFullRanking(int seed, int galleryChunk)
    {
        var random = new Random(seed);
        float[][] features = Lattice(random, 60, 3);
        long[] labels = Labels(random, 60, 3);

        AssertSameAsFullRanking(features, labels, features, labels, excludeSelf: true, galleryChunk, queryChunk: 16);
        AssertSameAsFullRanking(features, labels, features, labels, excludeSelf: false, galleryChunk, queryChunk: 16);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(9)]
    public void SeparateQueriesIncludingAnAbsentClassMatchTheFullRanking(int galleryChunk)
    {
        var random = new Random(5);
        float[][] queries = Lattice(random, 12, 3);
        float[][] gallery = Lattice(random, 50, 3);
        long[] queryLabels = Labels(random, 12, 5);
        queryLabels[0] = 42; // absent from the gallery: counted, left out of the means

        AssertSameAsFullRanking(queries, queryLabels, gallery, Labels(random, 50, 5), excludeSelf: false, galleryChunk, queryChunk: 5);
    }

    [Fact]
    public void QueriesBeyondOneScoringBlockMatchTheFullRanking()
    {
        // More queries than one scoring block (512 rows) and a query chunk that cuts across blocks.
        var random = new Random(11);
        float[][] features = Lattice(random, 1100, 3);
        long[] labels = Labels(random, 1100, 7);

        AssertSameAsFullRanking(features, labels, features, labels, excludeSelf: true, galleryChunk: 300, queryChunk: 700);
    }

    [Fact]
    public void AGallerySmallerThanKMatchesTheFullRanking()
    {
        var random = new Random(8);
        float[][] features = Gaussian(random, 6, 3);
        long[] labels = Labels(random, 6, 2);

        AssertSameAsFullRanking(features, labels, features, labels, excludeSelf: true, galleryChunk: 4, queryChunk: 2);
    }

    [Fact]
    public void FullGalleryMapIsNotClaimed()
    {
        using var features = torch.tensor(new float[] { 1, 0, 0.8f, 0.6f, 0, 1, -1, 0 }, [4, 2]);
        using var labels = torch.tensor(new long[] { 0, 0, 1, 0 });
        var evaluator = new StreamedRetrievalEvaluator(new RetrievalEvaluatorOptions { MapAtK = 2, RecallAtK = [1, 2] });

        RetrievalMetrics metrics = evaluator.Evaluate(features, labels, Chunks(features, labels, 3), excludeSelf: true);

        Assert.True(double.IsNaN(metrics.Map));
        Assert.Equal((0.5 + 0.5 + 0.25) / 3, metrics.MapAtK, 1e-12);
        Assert.Equal(1, metrics.QueriesWithoutRelevant);
    }

    [Fact]
    public void ChunksOutOfOrderAreRefused()
    {
        using var features = torch.ones(4, 2);
        using var labels = torch.zeros(4, torch.ScalarType.Int64);
        var evaluator = new StreamedRetrievalEvaluator(new RetrievalEvaluatorOptions());
        EmbeddingChunk[] chunks = [new(2, features.narrow(0, 2, 2), labels.narrow(0, 2, 2))];

        var error = Assert.Throws<ArgumentException>(() => evaluator.Evaluate(features, labels, chunks, excludeSelf: false));

        Assert.Contains("starting at row 0, got 2", error.Message);
    }

    internal static IEnumerable<EmbeddingChunk> Chunks(torch.Tensor features, torch.Tensor labels, int size)
    {
        for (long start = 0; start < features.shape[0]; start += size)
        {
            long count = Math.Min(size, features.shape[0] - start);
            yield return new EmbeddingChunk(start, features.narrow(0, start, count).clone(), labels.narrow(0, start, count).clone());
        }
    }

    private static void AssertSameAsFullRanking(
        float[][] queries, long[] queryLabels, float[][] gallery, long[] galleryLabels, bool excludeSelf, int galleryChunk, int queryChunk)
    {
        using var q = Tensor(queries);
        using var ql = Tensor(queryLabels);
        using var g = Tensor(gallery);
        using var gl = Tensor(galleryLabels);
        var options = new RetrievalEvaluatorOptions { QueryChunkSize = queryChunk, MapAtK = 10, RecallAtK = [1, 5, 10] };

        RetrievalMetrics full = new RetrievalEvaluator(options).Evaluate(q, ql, g, gl, excludeSelf);
        RetrievalMetrics streamed = new StreamedRetrievalEvaluator(options).Evaluate(q, ql, Chunks(g, gl, galleryChunk), excludeSelf);

        Assert.Equal(full.MapAtK, streamed.MapAtK);
        Assert.Equal(full.RecallAtK, streamed.RecallAtK);
        Assert.Equal(full.QueryCount, streamed.QueryCount);
        Assert.Equal(full.QueriesWithoutRelevant, streamed.QueriesWithoutRelevant);
        Assert.Equal(full.K, streamed.K);
    }
}
