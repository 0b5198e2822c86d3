using CompatLab.Engine.Models;
using CompatLab.Engine.Runs;

namespace CompatLab.Plugins.Protocols;

/// <summary>An old and a new model on the test set (query set = gallery set): old self, new self and new-to-old cross-test.</summary>
internal static class PairEvaluation
{
    public static RunResult Evaluate(RunSession session, RetrievalModel oldModel, RetrievalModel newModel)
    {
        var (experiment, spec, dataset, device, log) = (session.Experiment, session.Spec, session.Dataset, session.Device, session.Log);
        log.Info($"{experiment.Label}: evaluating on {dataset.TestSet.Count} test images (query set = gallery set)");
        using var oldFeatures = oldModel.EmbedAll(dataset.TestSet, device);
        using var newFeatures = newModel.EmbedAll(dataset.TestSet, device);
        var labels = dataset.TestSet.Labels;
        var evaluator = RetrievalReport.Evaluator(spec);
        var oldSelf = evaluator.Evaluate(oldFeatures, labels, oldFeatures, labels, excludeSelf: true);
        var newSelf = evaluator.Evaluate(newFeatures, labels, newFeatures, labels, excludeSelf: true);
        var cross = evaluator.Evaluate(newFeatures, labels, oldFeatures, labels, excludeSelf: true);
        var metrics = RetrievalReport.Metrics(("old_self", oldSelf), ("new_self", newSelf), ("cross", cross));
        metrics.Add(("eval.ecc", cross.Map > oldSelf.Map ? 1 : 0));
        log.Metrics(metrics, 0);
        return new RunResult(
            experiment.Label, experiment.Method, spec.Seed, experiment.RunFolder,
            RetrievalReport.Scores(oldSelf), RetrievalReport.Scores(newSelf), RetrievalReport.Scores(cross));
    }
}
