namespace CompatLab.Engine.Evaluation;

/// <summary>
/// Retrieval scores of one query set against one gallery. The means (<see cref="Map"/>, <see cref="MapAtK"/>,
/// <see cref="RecallAtK"/>) are taken over the queries that have at least one relevant gallery item; the others
/// are counted in <see cref="QueriesWithoutRelevant"/> and left out, so every mean is NaN when no query has one.
/// </summary>
/// <param name="Map">Mean average precision over the whole gallery.</param>
/// <param name="MapAtK">Mean of AP@K, where AP@K divides by min(relevant count, K).</param>
/// <param name="K">The K of <see cref="MapAtK"/>.</param>
/// <param name="RecallAtK">For each k, the fraction of queries with a relevant item among their top k.</param>
/// <param name="QueryCount">All queries evaluated, including those without a relevant item.</param>
/// <param name="QueriesWithoutRelevant">Queries left out of the means because nothing in the gallery matches them.</param>
public sealed record RetrievalMetrics(
    double Map,
    double MapAtK,
    int K,
    IReadOnlyDictionary<int, double> RecallAtK,
    int QueryCount,
    int QueriesWithoutRelevant)
{
    /// <summary>Queries that entered the means.</summary>
    public int ScoredQueryCount => QueryCount - QueriesWithoutRelevant;
}
