using TorchSharp;
using static TorchSharp.torch;

namespace CompatLab.Engine.Evaluation;

/// <summary>
/// Packs everything a ranking needs into one int64 per (query, gallery item), so a plain ascending sort of each
/// row is the ranking: key = demotion * 2G + 2 * galleryIndex + relevant, where demotion = 2^24 - the similarity
/// on its 2^-24 comparison grid. Keys are unique, so the sort needs no stability and its order is fully set:
/// similarity first, then ascending gallery index. The relevance bit rides along and is read back from the
/// sorted keys, so no gather by the sort's indices is needed; integer keys also sort faster than floats.
/// Built inside the caller's dispose scope and valid for one evaluation.
/// </summary>
internal sealed class RankingKeys
{
    /// <summary>Demotion of similarity 0; +1 and -1 give 0 and twice this.</summary>
    private const long MiddleDemotion = 1L << 24;

    /// <summary>Largest gallery whose keys stay exact in float64 while built: (2^25 + 2) * 2G must stay below 2^53.</summary>
    public const long MaxGallerySize = 1L << 26;

    private readonly long _galleryCount;

    // MiddleDemotion * 2G + 2 * galleryIndex (+ 1 for the relevant copy): a row of keys is then one select and one
    // fused add away from the rounded similarities, which is cheaper than adding a bool mask.
    private readonly Tensor _irrelevantOffset;
    private readonly Tensor _relevantOffset;

    public RankingKeys(long galleryCount, Device device)
    {
        _galleryCount = galleryCount;
        _irrelevantOffset = arange(0, 2 * galleryCount, 2, ScalarType.Float64, device).add_(MiddleDemotion * 2 * galleryCount);
        _relevantOffset = _irrelevantOffset.add(1);
    }

    /// <summary>Keys for a block of queries; consumes <paramref name="similarity64"/> ([chunk, G] float64 cosines).</summary>
    /// <param name="relevant">[chunk, G] bool, already false for any excluded self item.</param>
    /// <param name="selfDiagonal">Offset of the diagonal holding each query's own image, or null when none.</param>
    public Tensor Pack(Tensor similarity64, Tensor relevant, long? selfDiagonal)
    {
        Tensor negatedGrid = similarity64.mul_(-RetrievalEvaluator.ComparisonGridSteps).round_();
        if (selfDiagonal is long offset)
        {
            // One step behind the worst real similarity (-1), so a query's own image always ranks last.
            negatedGrid.diagonal(offset).fill_(MiddleDemotion + 1);
        }

        Tensor keys64 = where(relevant, _relevantOffset, _irrelevantOffset).add_(negatedGrid, 2 * _galleryCount);
        similarity64.Dispose();
        Tensor keys = keys64.to(ScalarType.Int64);
        keys64.Dispose();
        return keys;
    }

    /// <summary>1 where the ranked item is relevant, 0 elsewhere, from keys sorted along dim 1. Consumes them.</summary>
    public static Tensor RelevanceInOrder(Tensor sortedKeys) => sortedKeys.bitwise_and_(1);
}
