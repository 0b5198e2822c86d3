using TorchSharp;
using static TorchSharp.torch;

namespace CompatLab.Engine.Evaluation;

/// <summary>
/// Running sums of the per-query scores over all query chunks, kept as managed doubles and counts, and the
/// metrics they give at the end. Hit counts are exact integers; precisions and their sums are float64.
/// </summary>
internal sealed class RetrievalTotals(int mapK, IReadOnlyList<int> recallKs)
{
    private readonly long[] _recallHits = new long[recallKs.Count];
    private long _queries;
    private long _scored;
    private double _averagePrecision;
    private double _averagePrecisionAtK;

    // Set once a chunk arrives with only its top ranks: the full-gallery AP cannot be known, so mAP is NaN.
    private bool _mapUnknown;

    /// <summary>Adds a chunk of queries from the relevance of their ranked gallery items.</summary>
    /// <param name="relevantInOrder">[chunk, G] int64, 1 where the item at that rank is relevant, 0 elsewhere.</param>
    public void Add(Tensor relevantInOrder)
    {
        using var scope = NewDisposeScope();
        Tensor relevantCount = relevantInOrder.sum(1);
        _queries += relevantCount.shape[0];
        _scored += relevantCount.gt(0).sum().item<long>();
        AddTopRanks(relevantInOrder, relevantCount);
        _averagePrecision += AveragePrecisionSum(relevantInOrder, relevantCount);
    }

    /// <summary>
    /// Adds a chunk of queries from the relevance of their top ranks alone (streamed evaluation): the same mAP@k and
    /// Recall@k as <see cref="Add"/> on the full ranking, given each query's relevant count in the whole gallery.
    /// </summary>
    /// <param name="relevantInTopRanks">[chunk, min(G, max(k))] int64, 1 where the item at that rank is relevant.</param>
    /// <param name="relevantCount">[chunk] int64 relevant items per query in the whole gallery.</param>
    public void AddTopRanked(Tensor relevantInTopRanks, Tensor relevantCount)
    {
        using var scope = NewDisposeScope();
        _queries += relevantCount.shape[0];
        _scored += relevantCount.gt(0).sum().item<long>();
        AddTopRanks(relevantInTopRanks, relevantCount);
        _mapUnknown = true;
    }

    /// <summary>The means over scored queries; each is NaN (0 / 0) when no query had a relevant item.</summary>
    public RetrievalMetrics ToMetrics()
    {
        double scored = _scored;
        var recall = new SortedDictionary<int, double>();
        for (int i = 0; i < recallKs.Count; i++)
        {
            recall[recallKs[i]] = _recallHits[i] / scored;
        }

        return new RetrievalMetrics(
            _mapUnknown ? double.NaN : _averagePrecision / scored,
            _averagePrecisionAtK / scored,
            mapK,
            recall,
            checked((int)_queries),
            checked((int)(_queries - _scored)));
    }

    /// <summary>
    /// mAP@k and Recall@k look only at the first few ranks, so they are read from that narrow block:
    /// AP@k = sum over hits at rank r &lt;= k of (hits so far / r), divided by min(R, k).
    /// </summary>
    private void AddTopRanks(Tensor relevantInOrder, Tensor relevantCount)
    {
        long galleryCount = relevantInOrder.shape[1];
        long width = Math.Min(galleryCount, Math.Max(mapK, recallKs[^1]));
        Tensor top = relevantInOrder.narrow(1, 0, width).to(ScalarType.Float64);
        Tensor hitsSoFar = top.cumsum(1);
        for (int i = 0; i < recallKs.Count; i++)
        {
            _recallHits[i] += hitsSoFar.select(1, Math.Min(recallKs[i], galleryCount) - 1).gt(0).sum().item<long>();
        }

        long k = Math.Min(mapK, galleryCount);
        Tensor ranks = arange(1, k + 1, ScalarType.Float64, top.device);
        Tensor precisionAtHits = hitsSoFar.narrow(1, 0, k).mul(top.narrow(1, 0, k)).div_(ranks);
        _averagePrecisionAtK += precisionAtHits.sum(1).div_(relevantCount.clamp(1, mapK)).sum().item<double>();
    }

    /// <summary>
    /// Sum over queries of AP = (1 / R) * sum over hits of (hit number / rank), from the hits alone (typically a
    /// tenth of the ranking or less) rather than a cumulative sum over the whole [chunk, G] block. Queries with
    /// R = 0 have no hits and add 0.
    /// </summary>
    private static double AveragePrecisionSum(Tensor relevantInOrder, Tensor relevantCount)
    {
        // Hits come out row by row, each row's in rank order, so a hit's number within its row is its position
        // in the list minus where its row starts.
        Tensor hit = relevantInOrder.nonzero();
        Tensor hitRow = hit.select(1, 0);
        Tensor rowStart = relevantCount.cumsum(0).sub_(relevantCount);
        Tensor hitNumber = arange(1, hit.shape[0] + 1, ScalarType.Float64, hit.device).sub_(rowStart.index_select(0, hitRow));
        Tensor precisionAtHit = hitNumber.div_(hit.select(1, 1).add(1));
        Tensor precisionSums = zeros(relevantCount.shape[0], ScalarType.Float64, hit.device).index_add_(0, hitRow, precisionAtHit, 1.0);
        return precisionSums.div_(relevantCount.clamp_min(1)).sum().item<double>();
    }
}
