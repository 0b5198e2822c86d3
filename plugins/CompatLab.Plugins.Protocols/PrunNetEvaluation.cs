using CompatLab.Abstractions.Training;
using CompatLab.Engine.Data;
using CompatLab.Engine.Evaluation;
using CompatLab.Engine.Models;
using CompatLab.Engine.Pruning;
using CompatLab.Engine.Runs;

namespace CompatLab.Plugins.Protocols;

/// <summary>
/// The dense network's self-test (the new self-test column; a PrunNet run has no old model and no cross-test),
/// then the capacity grid once per (criterion, scope) pair: per capacity the sub self-test and the sub-to-dense
/// cross-test, BatchNorm recalibrated on the training data. Each pair also gets its map-vs-capacity chart.
/// </summary>
internal static class PrunNetEvaluation
{
    public static RunResult Evaluate(RunSession session, StageData training, RetrievalModel model)
    {
        var (experiment, spec, dataset, log) = (session.Experiment, session.Spec, session.Dataset, session.Log);
        log.Info($"{experiment.Label}: evaluating the dense network on {dataset.TestSet.Count} test images (query set = gallery set)");
        RetrievalMetrics denseSelf;
        using (var features = model.EmbedAll(dataset.TestSet, session.Device))
        {
            var labels = dataset.TestSet.Labels;
            denseSelf = RetrievalReport.Evaluator(spec).Evaluate(features, labels, features, labels, excludeSelf: true);
        }

        log.Metrics(RetrievalReport.Metrics(("new_self", denseSelf)), 0);
        var rows = new List<SubnetworkScores>();
        foreach (var pruning in experiment.PrunNet!.Evaluation.Criteria)
        {
            rows.AddRange(Grid(session, training, model, pruning));
        }

        return new RunResult(experiment.Label, experiment.Method, spec.Seed, experiment.RunFolder, null, RetrievalReport.Scores(denseSelf), null) { Subnetworks = rows };
    }

    private static List<SubnetworkScores> Grid(RunSession session, StageData training, RetrievalModel model, PruningEvaluation pruning)
    {
        var (experiment, spec, log) = (session.Experiment, session.Spec, session.Log);
        var evaluation = experiment.PrunNet!.Evaluation;
        log.Info($"{experiment.Label}: pruning with {pruning.CriterionName}, {pruning.ScopeName} scope, to capacities {string.Join(", ", evaluation.Capacities)}");
        var criterion = session.Create<IPruningCriterion>(pruning.Criterion);
        try
        {
            var options = new CapacityGridOptions
            {
                Capacities = evaluation.Capacities,
                Scope = pruning.Scope,
                RecalibrationBatches = evaluation.RecalibrationBatches,
                BatchSize = spec.New.Training.BatchSize,
                Seed = spec.Seed,
                Evaluation = RetrievalReport.EvaluatorOptions(spec),
            };
            var grid = new CapacityGridEvaluator(criterion, options, session.Device, session.Messages).Evaluate(model, training, session.Dataset.TestSet);
            var scores = grid.Capacities.Select(c => SubnetworkScores.From(pruning.CriterionName, pruning.ScopeName, c)).ToList();
            log.Metrics(scores.SelectMany(SubnetworkScores.Metrics).ToList(), 0);
            var report = new PruningReport(Path.GetFullPath(experiment.RunFolder), pruning.CriterionName, pruning.ScopeName, evaluation.RecalibrationBatches, spec.Seed, grid);
            PruningChart.Save(Path.Combine(experiment.RunFolder, SubnetworkScores.ChartFile(pruning.CriterionName, pruning.ScopeName)), report);
            return scores;
        }
        finally
        {
            (criterion as IDisposable)?.Dispose();
        }
    }
}
