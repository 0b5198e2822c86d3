using System.ComponentModel;
using CompatLab.Abstractions.Plugins;

namespace CompatLab.Engine.Evaluation;

/// <summary>Settings of <see cref="RetrievalEvaluator"/>; the defaults follow the retrieval test protocol.</summary>
public sealed class RetrievalEvaluatorOptions : IValidatableOptions
{
    [Description("Queries ranked at once; working memory peaks near 32 bytes times this times the gallery size.")]
    public int QueryChunkSize { get; set; } = 1024;

    [Description("The k of mAP@k.")]
    public int MapAtK { get; set; } = 100;

    // Null rather than a filled default list: the configuration binder appends bound items to an existing
    // collection, so a default of [1] would turn a configured [5] into [1, 5].
    [Description("The ks of Recall@k; [1] when not set.")]
    public IList<int>? RecallAtK { get; set; }

    /// <summary>The distinct ks of Recall@k in ascending order, [1] when none are configured.</summary>
    public IReadOnlyList<int> EffectiveRecallKs =>
        RecallAtK is null || RecallAtK.Count == 0 ? [1] : RecallAtK.Distinct().Order().ToArray();

    public IEnumerable<string> Validate()
    {
        if (QueryChunkSize < 1)
        {
            yield return $"queryChunkSize must be at least 1, got {QueryChunkSize}.";
        }

        if (MapAtK < 1)
        {
            yield return $"mapAtK must be at least 1, got {MapAtK}.";
        }

        foreach (int k in RecallAtK ?? [])
        {
            if (k < 1)
            {
                yield return $"recallAtK values must be at least 1, got {k}.";
            }
        }
    }
}
