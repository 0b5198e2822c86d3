using CompatLab.Abstractions;
using TorchSharp;
using static TorchSharp.torch;

namespace CompatLab.Engine.Evaluation;

/// <summary>
/// Ranks a gallery for every query by cosine similarity and scores the rankings (methods.md §5).
/// <para>
/// Queries are ranked a chunk at a time, so memory grows with chunk size times gallery size, never with the square
/// of the gallery. Ranking is by descending similarity with ties broken by ascending gallery index, which is what
/// a stable sort by descending similarity gives (see <see cref="RankingKeys"/> for how it is done faster).
/// </para>
/// <para>
/// Similarities are computed in float64 and compared on a fixed grid of 2^-24 (the float32 spacing just below 1).
/// Mathematically equal similarities (duplicate images, features on a lattice) then tie reliably, instead of
/// being split by last-bit rounding that depends on the matrix kernel and so on the chunk size; a cosine that
/// should be 0 may come out as 1e-17 from cancellation, which is why the grid is absolute, not relative. Only
/// similarities closer than float32 features can resolve anyway are merged.
/// </para>
/// <para>
/// Queries with no relevant gallery item (a class of one image when its own image is excluded, or a class absent
/// from the gallery) have no defined average precision. They are left out of every mean, Recall@k included, and
/// reported in <see cref="RetrievalMetrics.QueriesWithoutRelevant"/>, so a handful of singletons neither drags the
/// scores down nor goes unnoticed.
/// </para>
/// </summary>
public sealed class RetrievalEvaluator
{
    /// <summary>Grid steps per unit of cosine similarity when similarities are compared.</summary>
    public const double ComparisonGridSteps = 1 << 24;

    private readonly int _chunkSize;
    private readonly int _mapK;
    private readonly IReadOnlyList<int> _recallKs;

    public RetrievalEvaluator(RetrievalEvaluatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string[] problems = options.Validate().ToArray();
        if (problems.Length > 0)
        {
            throw new CompatLabUserException("Invalid retrieval evaluation options: " + string.Join(" ", problems));
        }

        _chunkSize = options.QueryChunkSize;
        _mapK = options.MapAtK;
        _recallKs = options.EffectiveRecallKs;
    }

    public RetrievalEvaluator()
        : this(new RetrievalEvaluatorOptions())
    {
    }

    /// <summary>Scores the ranking of the gallery for every query.</summary>
    /// <param name="queryFeatures">[Q, d] features, any floating type and device; normalised here.</param>
    /// <param name="queryLabels">[Q] integer class ids.</param>
    /// <param name="galleryFeatures">[G, d] features; the work runs on their device.</param>
    /// <param name="galleryLabels">[G] integer class ids.</param>
    /// <param name="excludeSelf">
    /// Query i and gallery item i show the same image (Q = G), so item i is removed from query i's ranking. This
    /// holds in cross-test too, where the gallery holds another model's features of the same images.
    /// </param>
    public RetrievalMetrics Evaluate(Tensor queryFeatures, Tensor queryLabels, Tensor galleryFeatures, Tensor galleryLabels, bool excludeSelf)
    {
        long queryCount = CheckedCount(queryFeatures, queryLabels, "query");
        long galleryCount = CheckedCount(galleryFeatures, galleryLabels, "gallery");
        if (queryFeatures.shape[1] != galleryFeatures.shape[1])
        {
            throw new ArgumentException(
                $"Query features have {queryFeatures.shape[1]} dimensions but gallery features have {galleryFeatures.shape[1]}.");
        }

        if (galleryCount == 0 || galleryCount > RankingKeys.MaxGallerySize)
        {
            throw new ArgumentException($"The gallery must hold 1 to {RankingKeys.MaxGallerySize} items, got {galleryCount}.");
        }

        if (excludeSelf && queryCount != galleryCount)
        {
            throw new ArgumentException(
                $"excludeSelf needs the query and gallery sets to be the same images, but there are {queryCount} queries and {galleryCount} gallery items.");
        }

        using var scope = NewDisposeScope();
        Device device = galleryFeatures.device;
        var gallery = new GallerySet(
            Normalised(galleryFeatures, "gallery").t().contiguous(),
            galleryLabels.to(ScalarType.Int64, device),
            new RankingKeys(galleryCount, device));
        var queries = new QuerySet(
            Normalised(queryFeatures.to(device), "query"),
            queryLabels.to(ScalarType.Int64, device));

        var totals = new RetrievalTotals(_mapK, _recallKs);
        for (long start = 0; start < queryCount; start += _chunkSize)
        {
            ScoreChunk(queries, gallery, start, Math.Min(_chunkSize, queryCount - start), excludeSelf, totals);
        }

        return totals.ToMetrics();
    }

    private static void ScoreChunk(QuerySet queries, GallerySet gallery, long start, long count, bool excludeSelf, RetrievalTotals totals)
    {
        using var scope = NewDisposeScope();
        Tensor similarity = queries.Features.narrow(0, start, count).mm(gallery.FeaturesTransposed);
        Tensor relevant = gallery.Labels.eq(queries.Labels.narrow(0, start, count).unsqueeze(1));
        long? selfDiagonal = null;
        if (excludeSelf)
        {
            // Query start + r is gallery item start + r: the diagonal at offset start. Never a hit, ranked last.
            selfDiagonal = start;
            relevant.diagonal(start).fill_(false);
        }

        // The [chunk, G] intermediates are freed as soon as they are used, to keep the peak low.
        Tensor keys = gallery.Keys.Pack(similarity, relevant, selfDiagonal);
        relevant.Dispose();
        (Tensor sortedKeys, Tensor order) = keys.sort(dim: 1);
        keys.Dispose();
        order.Dispose();
        totals.Add(RankingKeys.RelevanceInOrder(sortedKeys));
    }

    internal static long CheckedCount(Tensor features, Tensor labels, string role)
    {
        if (features.dim() != 2)
        {
            throw new ArgumentException($"The {role} features must be [N, d], got shape [{string.Join(", ", features.shape)}].");
        }

        if (!features.is_floating_point())
        {
            throw new ArgumentException($"The {role} features must be floating point, got {features.dtype}.");
        }

        if (labels.dim() != 1 || labels.shape[0] != features.shape[0])
        {
            throw new ArgumentException(
                $"The {role} labels must be [{features.shape[0]}] to match the features, got shape [{string.Join(", ", labels.shape)}].");
        }

        if (labels.is_floating_point() || labels.dtype == ScalarType.Bool)
        {
            throw new ArgumentException($"The {role} labels must be integer class ids, got {labels.dtype}.");
        }

        return features.shape[0];
    }

    internal static Tensor Normalised(Tensor features, string role)
    {
        Tensor features64 = features.to(ScalarType.Float64);

        // A diverged model gives non-finite features; their rankings would be silently meaningless.
        if (!features64.isfinite().all().item<bool>())
        {
            throw new ArgumentException($"The {role} features contain NaN or infinite values.");
        }

        return nn.functional.normalize(features64, p: 2, dim: 1);
    }

    /// <summary>Normalised float64 query features [Q, d] and int64 labels [Q].</summary>
    private sealed record QuerySet(Tensor Features, Tensor Labels);

    /// <summary>Normalised float64 features transposed [d, G], int64 labels [G] and the key builder for its rankings.</summary>
    private sealed record GallerySet(Tensor FeaturesTransposed, Tensor Labels, RankingKeys Keys);
}
