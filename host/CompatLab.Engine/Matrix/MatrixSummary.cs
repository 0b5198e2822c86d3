using CompatLab.Engine.Evaluation;
using CompatLab.Engine.Runs;

namespace CompatLab.Engine.Matrix;

/// <summary>
/// The table after a matrix: every run's results, plus the update gain of each run against the reference run
/// (a loss marked UpdateGainReference, e.g. one with no compatibility term) that shares its old model (same data,
/// model and seed) when the matrix has one.
/// </summary>
public static class MatrixSummary
{
    /// <summary>Update gains of a matrix's finished cells; the reference is whichever cell's loss plugin says it is one.</summary>
    public static IReadOnlyDictionary<RunResult, double> UpdateGains(IEnumerable<CellOutcome> outcomes) =>
        UpdateGains(outcomes
            .Where(o => o.Succeeded)
            .Select(o => (o.Result!, o.Experiment.OldModelKey, o.Experiment.Loss?.Descriptor.UpdateGainReference == true))
            .ToList());

    public static IReadOnlyDictionary<RunResult, double> UpdateGains(IReadOnlyList<(RunResult Result, string OldModelKey, bool IsReference)> runs)
    {
        var gains = new Dictionary<RunResult, double>();
        foreach (var group in runs.GroupBy(r => r.OldModelKey))
        {
            var reference = group.FirstOrDefault(r => r.IsReference).Result;
            if (reference is null)
            {
                continue;
            }

            foreach (var (result, _, _) in group.Where(r => r.Result.Cross is not null && r.Result.OldSelf is not null))
            {
                gains[result] = CompatibilityCriteria.UpdateGain(result.Cross!.Map, result.OldSelf!.Map, reference.NewSelf.Map);
            }
        }

        return gains;
    }
}
