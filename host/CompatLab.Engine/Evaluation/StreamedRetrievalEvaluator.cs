using CompatLab.Abstractions;
using TorchSharp;
using static TorchSharp.torch;

namespace CompatLab.Engine.Evaluation;

/// <summary>
/// mAP@k and Recall@k of queries against a gallery that never has to be in memory: the gallery arrives a chunk at a
/// time (from an <see cref="EmbeddingChunkReader"/> or any sequence of <see cref="EmbeddingChunk"/>), and every
/// query keeps a running top-k of ranking keys: a chunk's own top-k, then one topk over [current top-k ++ chunk's].
/// <para>
/// The numbers equal <see cref="RetrievalEvaluator"/>'s on the same data: similarities are float64 cosines on the
/// same 2^-24 grid, ties go to the lower gallery index (the keys of <see cref="StreamedRankingKeys"/> order exactly
/// as the full ranking does), an excluded self item ranks last, the relevant count per query comes from the whole
/// gallery's label counts, and the per-query scores are summed by the same <see cref="RetrievalTotals"/> in the same
/// query chunks. Full-gallery mAP needs every relevant item's rank, which a top-k cannot give: it is NaN here.
/// </para>
/// <para>
/// Memory: the queries in float64, a top-k of int64 keys per query, and per (query chunk, gallery chunk) pair a few
/// [query chunk, gallery chunk] float64 blocks; never anything of the gallery's size except one label count per class.
/// </para>
/// </summary>
public sealed class StreamedRetrievalEvaluator
{
    private readonly int _queryChunkSize;
    private readonly int _mapK;
    private readonly IReadOnlyList<int> _recallKs;

    public StreamedRetrievalEvaluator(RetrievalEvaluatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string[] problems = options.Validate().ToArray();
        if (problems.Length > 0)
        {
            throw new CompatLabUserException("Invalid retrieval evaluation options: " + string.Join(" ", problems));
        }

        _queryChunkSize = options.QueryChunkSize;
        _mapK = options.MapAtK;
        _recallKs = options.EffectiveRecallKs;
    }

    /// <summary>Ranks the gallery in <paramref name="gallery"/>'s file for every query.</summary>
    public RetrievalMetrics Evaluate(Tensor queryFeatures, Tensor queryLabels, EmbeddingChunkReader gallery, bool excludeSelf)
    {
        ArgumentNullException.ThrowIfNull(gallery);
        if (queryFeatures.dim() == 2 && queryFeatures.shape[1] != gallery.Dimension)
        {
            throw new ArgumentException($"Query features have {queryFeatures.shape[1]} dimensions but {gallery.Path} holds {gallery.Dimension}.");
        }

        if (excludeSelf && queryFeatures.shape[0] != gallery.Rows)
        {
            throw new ArgumentException(
                $"excludeSelf needs the query and gallery sets to be the same images, but there are {queryFeatures.shape[0]} queries and {gallery.Rows} gallery items in {gallery.Path}.");
        }

        return Evaluate(queryFeatures, queryLabels, gallery.ReadChunks(), excludeSelf);
    }

    /// <summary>Ranks a gallery given as consecutive chunks (starting at row 0) for every query; disposes each chunk.</summary>
    /// <param name="excludeSelf">Query i and gallery item i show the same image, so item i leaves query i's ranking.</param>
    public RetrievalMetrics Evaluate(Tensor queryFeatures, Tensor queryLabels, IEnumerable<EmbeddingChunk> galleryChunks, bool excludeSelf)
    {
        ArgumentNullException.ThrowIfNull(galleryChunks);
        long queryCount = RetrievalEvaluator.CheckedCount(queryFeatures, queryLabels, "query");
        using var scope = NewDisposeScope();
        var queries = new StreamedQueries(
            RetrievalEvaluator.Normalised(queryFeatures, "query"),
            queryLabels.to(ScalarType.Int64, queryFeatures.device),
            Math.Max(_mapK, _recallKs[^1]),
            excludeSelf);
        try
        {
            long galleryCount = 0;
            foreach (EmbeddingChunk chunk in galleryChunks)
            {
                using (chunk)
                {
                    CheckChunk(chunk, galleryCount, queries.Dimension);
                    queries.Merge(chunk);
                    galleryCount += chunk.Count;
                }
            }

            CheckGallery(galleryCount, queryCount, excludeSelf);
            var totals = new RetrievalTotals(_mapK, _recallKs);
            queries.AddTo(totals, _queryChunkSize);
            return totals.ToMetrics();
        }
        finally
        {
            queries.Dispose();
        }
    }

    private static void CheckChunk(EmbeddingChunk chunk, long expectedStart, long dimension)
    {
        if (chunk.Start != expectedStart)
        {
            throw new ArgumentException($"Gallery chunks must be consecutive: expected one starting at row {expectedStart}, got {chunk.Start}.");
        }

        if (chunk.Features.dim() != 2 || chunk.Features.shape[1] != dimension || chunk.Features.shape[0] != chunk.Count)
        {
            throw new ArgumentException(
                $"The gallery chunk at row {chunk.Start} must be [{chunk.Count}, {dimension}] to match its labels and the queries, got [{string.Join(", ", chunk.Features.shape)}].");
        }
    }

    private static void CheckGallery(long galleryCount, long queryCount, bool excludeSelf)
    {
        if (galleryCount == 0 || galleryCount > RankingKeys.MaxGallerySize)
        {
            throw new ArgumentException($"The gallery must hold 1 to {RankingKeys.MaxGallerySize} items, got {galleryCount}.");
        }

        if (excludeSelf && queryCount != galleryCount)
        {
            throw new ArgumentException(
                $"excludeSelf needs the query and gallery sets to be the same images, but there are {queryCount} queries and {galleryCount} gallery items.");
        }
    }
}
