using CompatLab.Engine.Plugins;
using CompatLab.Engine.Pruning;

namespace CompatLab.Engine.Runs;

/// <summary>
/// A validated prunnet section: capacities largest first (1.0 first), the bound integrator, the clip norm, the
/// evaluation (its defaults filled in when the file has none) and the key of the trained model. The key hashes
/// everything that shapes training and nothing of the evaluation, so runs that differ only in what they evaluate
/// share one trained network.
/// </summary>
public sealed record ResolvedPrunNet(
    IReadOnlyList<double> Capacities, BoundPlugin Integrator, double GradClipNorm, ResolvedPrunNetEvaluation Evaluation, string ModelKey);

/// <summary>The capacity grid and the (criterion, scope) pairs to prune it with, in the order the file lists them.</summary>
public sealed record ResolvedPrunNetEvaluation(IReadOnlyList<double> Capacities, int RecalibrationBatches, IReadOnlyList<PruningEvaluation> Criteria);

/// <summary>A bound pruning criterion and its scope.</summary>
public sealed record PruningEvaluation(BoundPlugin Criterion, PruningScope Scope)
{
    public string CriterionName => Criterion.Descriptor.Name;

    public string ScopeName => PruningScopeNames.Name(Scope);
}
