using TorchSharp;
using static TorchSharp.torch;

namespace CompatLab.Engine.Evaluation;

/// <summary>
/// Ranking keys for a window of gallery columns, built before the gallery's size is known: key = demotion *
/// 2^26 + galleryIndex as an exact float64 integer, where demotion = 2^24 - the similarity on its 2^-24 grid, as in
/// <see cref="RankingKeys"/>. Ascending keys order by similarity on the grid, then by ascending gallery index:
/// exactly the full-gallery ranking. Relevance is not packed in (unlike there): it is looked up only for the few
/// items that reach a query's top-k, which saves a pass over every score.
/// </summary>
internal static class StreamedRankingKeys
{
    /// <summary>Gallery indexes are below this; the largest key, about 2^51, stays exact in float64.</summary>
    public const long IndexStride = RankingKeys.MaxGallerySize;

    private const long MiddleDemotion = 1L << 24;

    /// <summary>Keys [q, n] from scores [q, n] = cosine * 2^24 (float64) of gallery items [galleryStart, galleryStart + n); consumes the scores.</summary>
    /// <param name="selfDiagonal">Offset of the diagonal holding each query's own image, or null when none.</param>
    public static Tensor Pack(Tensor scaledSimilarity, long galleryStart, long? selfDiagonal)
    {
        long count = scaledSimilarity.shape[1];
        Tensor grid = scaledSimilarity.round_();
        if (selfDiagonal is long offset)
        {
            // As in the full ranking: one step behind the worst real similarity (-1), so its own image ranks last.
            grid.diagonal(offset).fill_(-(MiddleDemotion + 1));
        }

        using Tensor offsets = arange(galleryStart, galleryStart + count, ScalarType.Float64, grid.device)
            .add_(MiddleDemotion * IndexStride);
        Tensor keys = offsets.add(grid, -IndexStride);
        grid.Dispose();
        return keys;
    }
}
