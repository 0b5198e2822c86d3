using CompatLab.Engine.Evaluation;
using CompatLab.Engine.Models;
using CompatLab.Engine.Runs;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Protocols;

/// <summary>
/// A sequence's models on the test set: every model's features against every earlier model's gallery (the lower
/// triangle of the compatibility matrix), average compatibility and average multi-model accuracy, plus the first
/// and last model as the run's old and new model.
/// </summary>
internal static class SequenceEvaluation
{
    public static RunResult Evaluate(RunSession session, IReadOnlyList<RetrievalModel> chain)
    {
        var (experiment, spec, dataset, log) = (session.Experiment, session.Spec, session.Dataset, session.Log);
        log.Info($"{experiment.Label}: evaluating {chain.Count} models pairwise on {dataset.TestSet.Count} test images (query set = gallery set)");
        var features = new List<Tensor>();
        try
        {
            foreach (var model in chain)
            {
                features.Add(model.EmbedAll(dataset.TestSet, session.Device));
            }

            var (rows, metrics, diagonal, cross) = Matrix(session, features);
            var matrix = new CompatibilityMatrix(rows);
            var (oldSelf, newSelf) = (diagonal[0], diagonal[^1]);
            metrics.Add(("eval.sequence.ac", matrix.AverageCompatibility));
            metrics.Add(("eval.sequence.am", matrix.AverageMultiModelAccuracy));
            metrics.AddRange(RetrievalReport.Metrics(("old_self", oldSelf), ("new_self", newSelf), ("cross", cross)));
            metrics.Add(("eval.ecc", cross.Map > oldSelf.Map ? 1 : 0));
            log.Metrics(metrics, 0);
            var sequence = spec.Data.Split.Sequence!;
            return new RunResult(
                experiment.Label, experiment.Method, spec.Seed, experiment.RunFolder,
                RetrievalReport.Scores(oldSelf), RetrievalReport.Scores(newSelf), RetrievalReport.Scores(cross))
            {
                Sequence = new SequenceScores(sequence.By, sequence.Fractions, rows, matrix.AverageCompatibility, matrix.AverageMultiModelAccuracy),
            };
        }
        finally
        {
            foreach (var tensor in features)
            {
                tensor.Dispose();
            }
        }
    }

    /// <summary>Row t holds model t's queries against models 0..t's galleries; the last row's first entry is the run's cross-test.</summary>
    private static (List<IReadOnlyList<double>> Rows, List<(string, double)> Metrics, List<RetrievalMetrics> Diagonal, RetrievalMetrics Cross) Matrix(
        RunSession session, IReadOnlyList<Tensor> features)
    {
        var labels = session.Dataset.TestSet.Labels;
        var evaluator = RetrievalReport.Evaluator(session.Spec);
        var rows = new List<IReadOnlyList<double>>();
        var metrics = new List<(string, double)>();
        var diagonal = new List<RetrievalMetrics>();
        RetrievalMetrics? cross = null;
        for (int t = 0; t < features.Count; t++)
        {
            var row = new List<double>();
            for (int k = 0; k <= t; k++)
            {
                var m = evaluator.Evaluate(features[t], labels, features[k], labels, excludeSelf: true);
                row.Add(m.Map);
                metrics.Add(($"eval.sequence.c_{t + 1}_{k + 1}.map", m.Map));
                if (k == t)
                {
                    diagonal.Add(m);
                }
                else if (t == features.Count - 1 && k == 0)
                {
                    cross = m;
                }
            }

            rows.Add(row);
        }

        return (rows, metrics, diagonal, cross!);
    }
}
