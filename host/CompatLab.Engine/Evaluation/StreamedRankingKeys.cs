using TorchSharp;
using static TorchSharp.torch;

namespace CompatLab.Engine.Evaluation;

/// <summary>
/// The ranking keys of <see cref="RankingKeys"/> for a window of gallery columns, with a fixed index stride instead
/// of one set by the gallery size, so they can be built before the gallery's size is known: key = demotion * 2^27 +
/// 2 * galleryIndex + relevant. Ordering by these keys is ordering by (similarity on the 2^-24 grid, gallery index),
/// exactly the full-gallery ranking, and the relevance bit rides along in the lowest bit as there.
/// </summary>
internal static class StreamedRankingKeys
{
    private const long MiddleDemotion = 1L << 24;

    /// <summary>2 * <see cref="RankingKeys.MaxGallerySize"/>; the largest key, about 2^52, stays exact in float64.</summary>
    private const long IndexStride = 2 * RankingKeys.MaxGallerySize;

    /// <summary>Keys [q, n] for queries against gallery items [galleryStart, galleryStart + n); consumes the similarities.</summary>
    /// <param name="similarity64">[q, n] float64 cosines.</param>
    /// <param name="relevant">[q, n] bool, already false for any excluded self item.</param>
    /// <param name="selfDiagonal">Offset of the diagonal holding each query's own image, or null when none.</param>
    public static Tensor Pack(Tensor similarity64, Tensor relevant, long galleryStart, long? selfDiagonal)
    {
        long count = similarity64.shape[1];
        Tensor negatedGrid = similarity64.mul_(-RetrievalEvaluator.ComparisonGridSteps).round_();
        if (selfDiagonal is long offset)
        {
            // As in the full ranking: one step behind the worst real similarity, so a query's own image ranks last.
            negatedGrid.diagonal(offset).fill_(MiddleDemotion + 1);
        }

        Tensor keys64 = arange(2 * galleryStart, 2 * (galleryStart + count), 2, ScalarType.Float64, similarity64.device)
            .add_(MiddleDemotion * IndexStride)
            .add(relevant)
            .add_(negatedGrid, IndexStride);
        similarity64.Dispose();
        Tensor keys = keys64.to(ScalarType.Int64);
        keys64.Dispose();
        return keys;
    }
}
