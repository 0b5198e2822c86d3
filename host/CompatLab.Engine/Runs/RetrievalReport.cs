using CompatLab.Engine.Configuration;
using CompatLab.Engine.Evaluation;

namespace CompatLab.Engine.Runs;

/// <summary>
/// The evaluator every protocol uses and the names its metrics are logged under (eval.&lt;test&gt;.map, ...). Public
/// for protocol plugins, so an outside protocol's results are measured and named like the built-ins'.
/// </summary>
public static class RetrievalReport
{
    public static RetrievalEvaluatorOptions EvaluatorOptions(ExperimentSpec spec) => new()
    {
        QueryChunkSize = spec.Evaluation.ChunkSize,
        MapAtK = spec.Evaluation.MapAtK,
        RecallAtK = spec.Evaluation.RecallAtK.ToList(),
    };

    public static RetrievalEvaluator Evaluator(ExperimentSpec spec) => new(EvaluatorOptions(spec));

    public static RetrievalScores Scores(RetrievalMetrics metrics) =>
        new(metrics.Map, metrics.MapAtK, metrics.K, metrics.RecallAtK.TryGetValue(1, out double r1) ? r1 : double.NaN);

    public static List<(string, double)> Metrics(params (string Name, RetrievalMetrics Metrics)[] tests)
    {
        var metrics = new List<(string, double)>();
        foreach (var (name, m) in tests)
        {
            metrics.Add(($"eval.{name}.map", m.Map));
            metrics.Add(($"eval.{name}.map_at_{m.K}", m.MapAtK));
            foreach (var (k, recall) in m.RecallAtK)
            {
                metrics.Add(($"eval.{name}.recall_at_{k}", recall));
            }
        }

        return metrics;
    }
}
