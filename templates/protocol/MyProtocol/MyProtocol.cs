using CompatLab.Abstractions.Losses;
using CompatLab.Abstractions.Models;
using CompatLab.Abstractions.Plugins;
using CompatLab.Engine.Configuration;
using CompatLab.Engine.Data;
using CompatLab.Engine.Evaluation;
using CompatLab.Engine.Models;
using CompatLab.Engine.Runs;
using static TorchSharp.torch;

namespace MyProtocol;

/// <summary>
/// A protocol lays out an experiment's stages: which models train on which data, and what is compared with what.
/// This one trains an old model on the first half of the classes (data.split.oldClassFraction, default 0.5, or the
/// list data.split.oldClasses) and a new model on all of them with the experiment's compatibility loss against the
/// frozen old model. It tests both on the test set (query set = gallery set): old self, new self and cross (new
/// queries against the old gallery), and, as an extra metric, the cross-test on the classes the old model never saw.
/// An experiment file picks it with "data": { "split": { "type": "my-protocol" } }.
/// The host calls Check while it resolves the experiment; each run then gets a fresh instance: Prepare, Run, Dispose.
/// </summary>
[CompatLabPlugin(PluginKind.Protocol, "my-protocol", Description = "Old model on the first half of the classes, new model on all; self, cross and unseen-class cross tests.")]
public sealed class MyProtocol : IProtocol
{
    private IBackboneFactory? oldBackbone;
    private IBackboneFactory? newBackbone;
    private ICompatibilityLoss? loss;
    private StageData? oldData;
    private StageData? newData;

    // While the experiment is resolved, before anything is loaded: each problem is reported with the file's other
    // problems, under its key (':' separators) and the file or --set that gave it.
    public IEnumerable<(string Key, string Problem)> Check(ExperimentSpec spec)
    {
        var split = spec.Data.Split;
        if (split.OldClasses.Count == 0 && !(split.OldClassFraction < 1))
        {
            yield return ("data:split:oldClassFraction", $"my-protocol needs classes the old model never sees; expected a fraction below 1, got {split.OldClassFraction}");
        }

        if (split.Sequence is not null)
        {
            yield return ("data:split:sequence", "my-protocol trains one old and one new model; remove the sequence section");
        }

        if (split.OpenSet is not null)
        {
            yield return ("data:split:openSet", "my-protocol tests on the dataset's test set; remove the openSet section");
        }
    }

    // Before the run folder exists: make the run's plugins and data splits here, so a mistake in the user's input
    // fails now and leaves nothing behind. The session's log does not exist yet.
    public void Prepare(RunSession session)
    {
        var experiment = session.Experiment;
        oldBackbone = session.Create<IBackboneFactory>(experiment.Backbone);
        newBackbone = session.Create<IBackboneFactory>(experiment.NewBackbone);
        loss = session.Create<ICompatibilityLoss>(experiment.Loss!);
        oldData = ProtocolSplit.ClassStage(session.Dataset, session.Spec.Data.Split);
        newData = ProtocolSplit.NewStage(session.Dataset);
    }

    // The stages. StageModels trains a model with checkpoints, or loads it when an earlier attempt finished it (the
    // old model is cached for every run with the same data, model and seed), so a repeated run resumes. The host
    // writes the returned row to results.json and results.md.
    public RunResult Run(RunSession session)
    {
        if (oldBackbone is null || newBackbone is null || loss is null || oldData is null || newData is null)
        {
            throw new InvalidOperationException("Prepare comes before Run");
        }

        var models = new StageModels(session);
        using var oldModel = new FrozenOldModel(models.TrainOrLoadOld(oldBackbone, oldData), oldData.Classes);
        using var newModel = models.TrainOrLoadNew(newBackbone, newData, oldModel, loss, NewStageNames.Final);
        return Evaluate(session, oldModel.Model, newModel, oldData.Classes);
    }

    public void Dispose()
    {
        newData?.Dispose();
        oldData?.Dispose();
        loss?.Dispose();
    }

    private static RunResult Evaluate(RunSession session, RetrievalModel oldModel, RetrievalModel newModel, IReadOnlyList<int> oldClasses)
    {
        var (experiment, test, device) = (session.Experiment, session.Dataset.TestSet, session.Device);
        session.Log.Info($"{experiment.Label}: evaluating on {test.Count} test images (query set = gallery set)");

        // Every tensor made here (features, index lists) is freed when the scope ends; only numbers leave it.
        using var scope = NewDisposeScope();
        var oldFeatures = oldModel.EmbedAll(test, device);
        var newFeatures = newModel.EmbedAll(test, device);
        var labels = test.Labels;
        var evaluator = RetrievalReport.Evaluator(session.Spec);
        var oldSelf = evaluator.Evaluate(oldFeatures, labels, oldFeatures, labels, excludeSelf: true);
        var newSelf = evaluator.Evaluate(newFeatures, labels, newFeatures, labels, excludeSelf: true);
        var cross = evaluator.Evaluate(newFeatures, labels, oldFeatures, labels, excludeSelf: true);

        // The classes only the new model learned: new queries of those classes against the old gallery of them.
        var unseen = isin(labels, tensor(oldClasses.Select(c => (long)c).ToArray(), device: labels.device)).logical_not().nonzero().squeeze(1);
        var unseenLabels = labels.index_select(0, unseen);
        var unseenOld = oldFeatures.index_select(0, unseen.to(oldFeatures.device));
        var unseenNew = newFeatures.index_select(0, unseen.to(newFeatures.device));
        var crossUnseen = evaluator.Evaluate(unseenNew, unseenLabels, unseenOld, unseenLabels, excludeSelf: true);

        // Metrics go to the run's trackers as eval.<test>.map, eval.<test>.map_at_k, eval.<test>.recall_at_k.
        session.Log.Metrics(RetrievalReport.Metrics(("old_self", oldSelf), ("new_self", newSelf), ("cross", cross), ("cross_unseen", crossUnseen)), 0);
        return new RunResult(
            experiment.Label, experiment.Method, session.Spec.Seed, experiment.RunFolder,
            RetrievalReport.Scores(oldSelf), RetrievalReport.Scores(newSelf), RetrievalReport.Scores(cross));
    }
}
