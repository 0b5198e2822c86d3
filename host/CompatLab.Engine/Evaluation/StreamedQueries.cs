using TorchSharp;
using static TorchSharp.torch;

namespace CompatLab.Engine.Evaluation;

/// <summary>
/// The queries of one streamed evaluation and what they accumulate over the gallery chunks: each query's running
/// top-k (ranking keys and whether each item is relevant), the gallery's label counts, and (with self-exclusion)
/// whether each query's own gallery item shares its label. Queries are scored in blocks of
/// <see cref="ScoringRows"/> so that a block's scores against a gallery chunk stay small. Owns the top-k tensors.
/// </summary>
internal sealed class StreamedQueries : IDisposable
{
    /// <summary>Query rows scored at once against a gallery chunk; keeps the [rows, chunk] float64 blocks near the cache.</summary>
    private const int ScoringRows = 512;

    private readonly Tensor _scaledFeatures;
    private readonly Tensor _labels;
    private readonly long[] _labelValues;
    private readonly int _topK;
    private readonly bool _excludeSelf;
    private readonly Dictionary<long, long> _galleryLabelCounts = new();
    private readonly bool[] _selfRelevant;
    private Tensor? _topKeys;
    private Tensor? _topRelevant;

    /// <param name="features">Normalised float64 [Q, d] features, in the caller's dispose scope.</param>
    /// <param name="labels">Int64 [Q] labels, in the caller's dispose scope.</param>
    public StreamedQueries(Tensor features, Tensor labels, int topK, bool excludeSelf)
    {
        // Scaling by 2^24 is exact, so the scores come out already on the comparison grid's scale (one pass less).
        _scaledFeatures = features.mul(RetrievalEvaluator.ComparisonGridSteps);
        _labels = labels;
        _labelValues = labels.cpu().data<long>().ToArray();
        _topK = topK;
        _excludeSelf = excludeSelf;
        _selfRelevant = new bool[excludeSelf ? _labelValues.Length : 0];
    }

    public long Dimension => _scaledFeatures.shape[1];

    /// <summary>Merges one gallery chunk into every query's top-k.</summary>
    public void Merge(EmbeddingChunk chunk)
    {
        using var scope = NewDisposeScope();
        Device device = _scaledFeatures.device;
        Tensor galleryTransposed = RetrievalEvaluator.Normalised(chunk.Features.to(device), "gallery").t().contiguous();
        Tensor galleryLabels = chunk.Labels.to(ScalarType.Int64, device);
        CountLabels(chunk.Start, chunk.Labels.cpu().data<long>().ToArray());
        var keys = new List<Tensor>();
        var relevant = new List<Tensor>();
        for (long start = 0; start < _labelValues.Length; start += ScoringRows)
        {
            var (blockKeys, blockRelevant) = MergeBlock(start, Math.Min(ScoringRows, _labelValues.Length - start), galleryTransposed, galleryLabels, chunk.Start);
            keys.Add(blockKeys);
            relevant.Add(blockRelevant);
        }

        _topKeys?.Dispose();
        _topRelevant?.Dispose();
        _topKeys = cat(keys, 0).DetachFromDisposeScope();
        _topRelevant = cat(relevant, 0).DetachFromDisposeScope();
    }

    /// <summary>Scores every query from its top-k, in chunks of <paramref name="chunkSize"/> as <see cref="RetrievalEvaluator"/> does.</summary>
    public void AddTo(RetrievalTotals totals, int chunkSize)
    {
        for (long start = 0; start < _labelValues.Length; start += chunkSize)
        {
            using var scope = NewDisposeScope();
            long count = Math.Min(chunkSize, _labelValues.Length - start);
            var relevantCounts = new long[count];
            for (long i = 0; i < count; i++)
            {
                long query = start + i;
                relevantCounts[i] = _galleryLabelCounts.GetValueOrDefault(_labelValues[query]) - (_excludeSelf && _selfRelevant[query] ? 1 : 0);
            }

            Tensor relevance = _topRelevant!.narrow(0, start, count).to(ScalarType.Int64);
            totals.AddTopRanked(relevance, tensor(relevantCounts, device: relevance.device));
        }
    }

    public void Dispose()
    {
        _scaledFeatures.Dispose();
        _topKeys?.Dispose();
        _topRelevant?.Dispose();
    }

    /// <summary>The new top-k keys [rows, k] in rank order and their relevance, for query rows [start, start + count).</summary>
    private (Tensor Keys, Tensor Relevant) MergeBlock(long start, long count, Tensor galleryTransposed, Tensor galleryLabels, long galleryStart)
    {
        long galleryCount = galleryLabels.shape[0];
        long? selfDiagonal = null;
        if (_excludeSelf && start < galleryStart + galleryCount && galleryStart < start + count)
        {
            // Query start + r is gallery item start + r, which is column start + r - galleryStart of this block.
            selfDiagonal = start - galleryStart;
        }

        Tensor keys = StreamedRankingKeys.Pack(_scaledFeatures.narrow(0, start, count).mm(galleryTransposed), galleryStart, selfDiagonal);
        (Tensor chunkBest, Tensor position) = keys.topk((int)Math.Min(_topK, galleryCount), dim: 1, largest: false, sorted: false);
        keys.Dispose();

        // Relevance only for the items that made the chunk's top-k; an excluded self item is never relevant.
        Tensor queryLabels = _labels.narrow(0, start, count).unsqueeze(1);
        Tensor chunkRelevant = galleryLabels.index_select(0, position.flatten()).view(position.shape).eq(queryLabels);
        if (selfDiagonal is not null)
        {
            Tensor queryIndex = arange(start, start + count, ScalarType.Int64, position.device).unsqueeze(1);
            chunkRelevant.logical_and_(position.add(galleryStart).ne(queryIndex));
        }

        Tensor mergedKeys = _topKeys is null ? chunkBest : cat([_topKeys.narrow(0, start, count), chunkBest], 1);
        Tensor mergedRelevant = _topRelevant is null ? chunkRelevant : cat([_topRelevant.narrow(0, start, count), chunkRelevant], 1);
        (Tensor best, Tensor order) = mergedKeys.topk((int)Math.Min(_topK, mergedKeys.shape[1]), dim: 1, largest: false, sorted: true);
        return (best, mergedRelevant.gather(1, order));
    }

    private void CountLabels(long galleryStart, long[] galleryLabels)
    {
        foreach (long label in galleryLabels)
        {
            _galleryLabelCounts[label] = _galleryLabelCounts.GetValueOrDefault(label) + 1;
        }

        if (_excludeSelf)
        {
            for (long query = galleryStart; query < Math.Min(galleryStart + galleryLabels.Length, _labelValues.Length); query++)
            {
                _selfRelevant[query] = galleryLabels[query - galleryStart] == _labelValues[query];
            }
        }
    }
}
