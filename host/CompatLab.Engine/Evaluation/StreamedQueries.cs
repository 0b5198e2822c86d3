using TorchSharp;
using static TorchSharp.torch;

namespace CompatLab.Engine.Evaluation;

/// <summary>
/// The queries of one streamed evaluation and everything they accumulate over the gallery chunks: a running top-k
/// of ranking keys per query chunk, the gallery's label counts, and (with self-exclusion) whether each query's own
/// gallery item shares its label. Owns the top-k tensors; the features and labels belong to the caller's scope.
/// </summary>
internal sealed class StreamedQueries(Tensor features, Tensor labels, int chunkSize, int topK, bool excludeSelf) : IDisposable
{
    private readonly long[] _labels = labels.cpu().data<long>().ToArray();
    private readonly Dictionary<long, long> _galleryLabelCounts = new();
    private readonly bool[] _selfRelevant = new bool[excludeSelf ? labels.shape[0] : 0];
    private readonly Tensor?[] _topKeys = new Tensor?[(labels.shape[0] + chunkSize - 1) / chunkSize];

    public Tensor Features => features;

    /// <summary>Merges one gallery chunk into every query's top-k.</summary>
    public void Merge(EmbeddingChunk chunk)
    {
        using var scope = NewDisposeScope();
        Device device = features.device;
        Tensor galleryTransposed = RetrievalEvaluator.Normalised(chunk.Features.to(device), "gallery").t().contiguous();
        Tensor galleryLabels = chunk.Labels.to(ScalarType.Int64, device);
        CountLabels(chunk.Start, chunk.Labels.cpu().data<long>().ToArray());
        for (int block = 0; block < _topKeys.Length; block++)
        {
            MergeBlock(block, galleryTransposed, galleryLabels, chunk.Start);
        }
    }

    /// <summary>Scores every query from its top-k, chunk by chunk as <see cref="RetrievalEvaluator"/> does.</summary>
    public void AddTo(RetrievalTotals totals)
    {
        for (int block = 0; block < _topKeys.Length; block++)
        {
            using var scope = NewDisposeScope();
            long start = (long)block * chunkSize;
            long count = Math.Min(chunkSize, _labels.Length - start);
            var relevantCounts = new long[count];
            for (long i = 0; i < count; i++)
            {
                long query = start + i;
                relevantCounts[i] = _galleryLabelCounts.GetValueOrDefault(_labels[query]) - (excludeSelf && _selfRelevant[query] ? 1 : 0);
            }

            Tensor relevance = _topKeys[block]!.bitwise_and(1);
            totals.AddTopRanked(relevance, tensor(relevantCounts, device: relevance.device));
        }
    }

    public void Dispose()
    {
        foreach (Tensor? keys in _topKeys)
        {
            keys?.Dispose();
        }
    }

    private void MergeBlock(int block, Tensor galleryTransposed, Tensor galleryLabels, long galleryStart)
    {
        using var scope = NewDisposeScope();
        long start = (long)block * chunkSize;
        long count = Math.Min(chunkSize, _labels.Length - start);
        long galleryCount = galleryLabels.shape[0];
        Tensor similarity = features.narrow(0, start, count).mm(galleryTransposed);
        Tensor relevant = galleryLabels.eq(labels.narrow(0, start, count).unsqueeze(1));
        long? selfDiagonal = null;
        if (excludeSelf && start < galleryStart + galleryCount && galleryStart < start + count)
        {
            // Query start + r is gallery item start + r, which is column start + r - galleryStart of this block.
            selfDiagonal = start - galleryStart;
            relevant.diagonal(selfDiagonal.Value).fill_(false);
        }

        Tensor keys = StreamedRankingKeys.Pack(similarity, relevant, galleryStart, selfDiagonal);
        relevant.Dispose();
        Tensor? current = _topKeys[block];
        Tensor merged = current is null ? keys : cat([current, keys], 1);
        (Tensor best, Tensor order) = merged.topk(Math.Min(topK, (int)merged.shape[1]), dim: 1, largest: false, sorted: true);
        order.Dispose();
        current?.Dispose();
        _topKeys[block] = best.DetachFromDisposeScope();
    }

    private void CountLabels(long galleryStart, long[] galleryLabels)
    {
        foreach (long label in galleryLabels)
        {
            _galleryLabelCounts[label] = _galleryLabelCounts.GetValueOrDefault(label) + 1;
        }

        if (excludeSelf)
        {
            for (long query = galleryStart; query < Math.Min(galleryStart + galleryLabels.Length, _labels.Length); query++)
            {
                _selfRelevant[query] = galleryLabels[query - galleryStart] == _labels[query];
            }
        }
    }
}
