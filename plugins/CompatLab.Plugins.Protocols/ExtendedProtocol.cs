using CompatLab.Abstractions.Losses;
using CompatLab.Abstractions.Models;
using CompatLab.Engine.Configuration;
using CompatLab.Engine.Data;
using CompatLab.Engine.Models;
using CompatLab.Engine.Runs;

namespace CompatLab.Plugins.Protocols;

/// <summary>
/// The two-model protocols: an old model trained on part of the training data (cached and shared by runs with the
/// same data, model and seed), a new model trained on all of it with the compatibility loss against the frozen
/// old one, then old self, new self and cross-test. Subclasses say how the data is split and what they require.
/// </summary>
public abstract class ExtendedProtocol : IProtocol
{
    private IBackboneFactory? backbone;
    private IBackboneFactory? newBackbone;
    private ICompatibilityLoss? loss;
    private StageData? oldData;
    private StageData? newData;

    public virtual IEnumerable<(string Key, string Problem)> Check(ExperimentSpec spec) =>
        SplitChecks.NoSequence(spec.Data.Split).Concat(SplitChecks.NoOpenSet(spec.Data.Split));

    public void Prepare(RunSession session)
    {
        var experiment = session.Experiment;
        backbone = session.Create<IBackboneFactory>(experiment.Backbone);
        newBackbone = session.Create<IBackboneFactory>(experiment.NewBackbone);
        loss = session.Create<ICompatibilityLoss>(experiment.Loss!);
        oldData = OldStage(session);
        newData = ProtocolSplit.NewStage(session.Dataset);
    }

    public RunResult Run(RunSession session)
    {
        if (backbone is null || newBackbone is null || loss is null || oldData is null || newData is null)
        {
            throw new InvalidOperationException("Prepare comes before Run");
        }

        var models = new StageModels(session);
        using var oldModel = new FrozenOldModel(models.TrainOrLoadOld(backbone, oldData), oldData.Classes);
        using var newModel = models.TrainOrLoadNew(newBackbone, newData, oldModel, loss, NewStageNames.Final);
        return PairEvaluation.Evaluate(session, oldModel.Model, newModel);
    }

    /// <summary>The old model's training data.</summary>
    protected abstract StageData OldStage(RunSession session);

    public void Dispose()
    {
        newData?.Dispose();
        oldData?.Dispose();
        loss?.Dispose();
        GC.SuppressFinalize(this);
    }
}
