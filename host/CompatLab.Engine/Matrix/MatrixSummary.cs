using CompatLab.Engine.Evaluation;
using CompatLab.Engine.Runs;

namespace CompatLab.Engine.Matrix;

/// <summary>
/// The table after a matrix: every run's results, plus the update gain of each run against the `independent`
/// run that shares its old model (same data, model and seed) when the matrix has one.
/// </summary>
public static class MatrixSummary
{
    public static IReadOnlyDictionary<RunResult, double> UpdateGains(IReadOnlyList<(RunResult Result, string OldModelKey)> runs)
    {
        var gains = new Dictionary<RunResult, double>();
        foreach (var group in runs.GroupBy(r => r.OldModelKey))
        {
            var reference = group.FirstOrDefault(r => r.Result.Loss == "independent").Result;
            if (reference is null)
            {
                continue;
            }

            foreach (var (result, _) in group.Where(r => r.Result.Cross is not null && r.Result.OldSelf is not null))
            {
                gains[result] = CompatibilityCriteria.UpdateGain(result.Cross!.Map, result.OldSelf!.Map, reference.NewSelf.Map);
            }
        }

        return gains;
    }
}
