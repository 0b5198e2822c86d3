using CompatLab.Abstractions.Losses;
using CompatLab.Abstractions.Models;
using CompatLab.Abstractions.Plugins;
using CompatLab.Engine.Configuration;
using CompatLab.Engine.Data;
using CompatLab.Engine.Models;
using CompatLab.Engine.Runs;

namespace CompatLab.Plugins.Protocols;

/// <summary>
/// phi_1 is the old model; phi_2..phi_T are trained in turn, each with the compatibility loss against the frozen
/// model before it (a fresh loss instance per model, since losses keep state); phi_T is the run's new model. Then
/// every model's test features are compared with every earlier model's gallery (<see cref="SequenceEvaluation"/>).
/// </summary>
[CompatLabPlugin(PluginKind.Protocol, "sequence", Description = "A chain of models on growing class or data fractions (data.split.sequence), each compatible with the one before; reports AC and AM.")]
public sealed class SequenceProtocol : IProtocol
{
    private IBackboneFactory? backbone;
    private IBackboneFactory? newBackbone;
    private ICompatibilityLoss? lastLoss;
    private StageData? firstData;
    private StageData? lastData;

    public IEnumerable<(string Key, string Problem)> Check(ExperimentSpec spec) =>
        SplitChecks.Sequence(spec.Data.Split).Concat(SplitChecks.NoOpenSet(spec.Data.Split));

    public void Prepare(RunSession session)
    {
        var experiment = session.Experiment;
        backbone = session.Create<IBackboneFactory>(experiment.Backbone);
        newBackbone = session.Create<IBackboneFactory>(experiment.NewBackbone);
        lastLoss = session.Create<ICompatibilityLoss>(experiment.Loss!);
        var split = session.Spec.Data.Split;
        int seed = session.IntSeed("old-data");
        firstData = ProtocolSplit.SequenceStage(session.Dataset, split, 0, seed);
        lastData = ProtocolSplit.SequenceStage(session.Dataset, split, ProtocolSplit.SequenceLength(split) - 1, seed);
    }

    public RunResult Run(RunSession session)
    {
        if (backbone is null || newBackbone is null || lastLoss is null || firstData is null || lastData is null)
        {
            throw new InvalidOperationException("Prepare comes before Run");
        }

        var models = new StageModels(session);
        using var first = new FrozenOldModel(models.TrainOrLoadOld(backbone, firstData), firstData.Classes);
        var chain = new List<FrozenOldModel> { first };
        try
        {
            TrainChain(session, models, chain);
            return SequenceEvaluation.Evaluate(session, chain.Select(m => m.Model).ToList());
        }
        finally
        {
            foreach (var model in chain.Skip(1))
            {
                model.Dispose();
            }
        }
    }

    public void Dispose()
    {
        lastData?.Dispose();
        firstData?.Dispose();
        lastLoss?.Dispose();
    }

    private void TrainChain(RunSession session, StageModels models, List<FrozenOldModel> chain)
    {
        var split = session.Spec.Data.Split;
        int count = ProtocolSplit.SequenceLength(split);
        int seed = session.IntSeed("old-data");
        for (int index = 1; index < count; index++)
        {
            bool last = index == count - 1;
            var names = last ? NewStageNames.Final : NewStageNames.Intermediate(index);
            using var data = last ? null : ProtocolSplit.SequenceStage(session.Dataset, split, index, seed);
            using var stageLoss = last ? null : session.Create<ICompatibilityLoss>(session.Experiment.Loss!);
            var stageData = data ?? lastData!;
            session.Log.Info($"sequence: model {index + 1} of {count} learns {stageData.Images.Count} images of {stageData.Classes.Count} classes");
            var model = models.TrainOrLoadNew(newBackbone!, stageData, chain[^1], stageLoss ?? lastLoss!, names);
            chain.Add(new FrozenOldModel(model, stageData.Classes));
        }
    }
}
