using System.Text.Json.Serialization;
using CompatLab.Engine.Evaluation;

namespace CompatLab.Engine.Runs;

/// <summary>
/// What a finished run measured: old self-test, new self-test and cross-test (new queries against the old
/// gallery), and whether the empirical compatibility criterion M(new, old) &gt; M(old, old) holds on mAP.
/// A PrunNet run has no old model: its old self-test and cross-test are null and it never passes ECC.
/// </summary>
public sealed record RunResult(
    string Label,
    string Loss,
    int Seed,
    string RunFolder,
    RetrievalScores? OldSelf,
    RetrievalScores NewSelf,
    RetrievalScores? Cross)
{
    /// <remarks>Where full mAP was not measured (a streamed open-set gallery) the criterion is taken on mAP@k.</remarks>
    public bool Ecc => Cross is not null && OldSelf is not null &&
        (double.IsNaN(Cross.Map) || double.IsNaN(OldSelf.Map) ? Cross.MapAtK > OldSelf.MapAtK : Cross.Map > OldSelf.Map);

    /// <summary>For the sequence protocol: every model against every earlier gallery (old self is phi_1's, new self and
    /// cross are phi_T's); null otherwise.</summary>
    public SequenceScores? Sequence { get; init; }

    /// <summary>For a PrunNet run: one row per (criterion, scope, capacity) of its evaluation grid; null otherwise.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<SubnetworkScores>? Subnetworks { get; init; }

    /// <summary>For an open-set run: query and gallery sizes and every test with all its Recall@k; null otherwise.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public OpenSetScores? OpenSet { get; init; }
}
