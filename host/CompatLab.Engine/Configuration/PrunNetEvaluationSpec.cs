using System.ComponentModel;

namespace CompatLab.Engine.Configuration;

/// <summary>
/// What a PrunNet run evaluates after training: the trained network pruned to every capacity of a grid, once per
/// (criterion, scope) pair, each subnetwork tested alone and against the dense network's gallery (methods.md §2.3, §5).
/// Leaving the section out gives these defaults; changing it re-evaluates but never retrains (see docs/pruning.md).
/// </summary>
public sealed class PrunNetEvaluationSpec : IValidatedSpec
{
    public static readonly IReadOnlyList<double> DefaultCapacities = [1.0, 0.8, 0.6, 0.4, 0.3, 0.2, 0.1];

    [Description("Capacities to prune to and evaluate, each in (0, 1]; may include ones never trained (post-training pruning to any capacity).")]
    public List<double> Capacities { get; set; } = DefaultCapacities.ToList();

    [Description("Training batches BatchNorm statistics are re-estimated over under each mask (0 keeps the dense statistics).")]
    public int RecalibrationBatches { get; set; } = 50;

    [Description("The (criterion, scope) pairs to evaluate the grid with (default from defaults.json), e.g. [{ \"criterion\": { \"type\": \"magnitude\" }, \"scope\": \"global\" }].")]
    public List<PruningCriterionSpec> Criteria { get; set; } = new();

    public void Validate(SpecProblems problems)
    {
        if (Capacities.Count == 0)
        {
            problems.Add("capacities", "expected at least one capacity to evaluate, each in (0, 1]");
        }

        CapacityChecks.EachAFraction(Capacities, problems, "capacities");
        CapacityChecks.EachOnce(Capacities, problems, "capacities");
        problems.Require(RecalibrationBatches >= 0, "recalibrationBatches", $"expected 0 (keep the dense BatchNorm statistics) or a positive number of training batches, got {RecalibrationBatches}");
        if (Criteria.Count == 0)
        {
            problems.Add("criteria", "expected at least one { \"criterion\": { \"type\": ... }, \"scope\": \"layer\" | \"global\" }");
        }

        CheckCriteria(problems);
    }

    private void CheckCriteria(SpecProblems problems)
    {
        var seen = new HashSet<(string, string)>();
        for (int i = 0; i < Criteria.Count; i++)
        {
            var item = Criteria[i];
            if (!PruningCriterionSpec.Scopes.Contains(item.Scope))
            {
                problems.Add($"criteria:{i}:scope", $"expected one of layer, global, got \"{item.Scope}\"" + NameSuggester.Hint(item.Scope, PruningCriterionSpec.Scopes));
            }
            else if (!seen.Add((item.Criterion.Type, item.Scope)))
            {
                problems.Add($"criteria:{i}", $"{item.Criterion.Type} with {item.Scope} scope is listed twice; list each (criterion, scope) pair once");
            }
        }
    }
}

/// <summary>One way of choosing the weights to keep: a pruning criterion plugin and the scope of its threshold.</summary>
public sealed class PruningCriterionSpec
{
    public static readonly IReadOnlyList<string> Scopes = ["layer", "global"];

    [Description("The pruning criterion plugin: learned-score, magnitude, random or taylor.")]
    public PluginRef Criterion { get; set; } = new();

    [Description("layer (the same fraction kept in every masked layer) or global (one threshold over all masked layers).")]
    public string Scope { get; set; } = "layer";
}
