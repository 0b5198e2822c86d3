using System.Globalization;
using CompatLab.Abstractions.Losses;
using CompatLab.Abstractions.Models;
using CompatLab.Abstractions.Plugins;
using CompatLab.Engine.Configuration;
using CompatLab.Engine.Models;
using CompatLab.Engine.Runs;

namespace CompatLab.Plugins.Protocols;

/// <summary>
/// Open-set retrieval: the query and gallery classes are never seen in training. They come from the dataset's own
/// query and gallery sets (e.g. an image list's role column) or from classes held out by data.split.openSet. The
/// old model learns part of the training classes, the new model all of them with the compatibility loss.
/// </summary>
[CompatLabPlugin(PluginKind.Protocol, "open-set", Description = "Query and gallery classes unseen in training (the dataset's query/gallery roles, or held-out classes by data.split.openSet); the old model learns part of the training classes (oldClassFraction), the new model all.")]
public sealed class OpenSetProtocol : IProtocol
{
    private IBackboneFactory? backbone;
    private IBackboneFactory? newBackbone;
    private ICompatibilityLoss? loss;
    private OpenSetData? data;

    public IEnumerable<(string Key, string Problem)> Check(ExperimentSpec spec)
    {
        foreach (var problem in SplitChecks.NoSequence(spec.Data.Split))
        {
            yield return problem;
        }

        if (spec.Data.Split.OpenSet is { } openSet)
        {
            if (openSet.HeldOutFraction is not (> 0 and < 1))
            {
                yield return ("data:split:openSet:heldOutFraction", $"expected a share of the classes strictly between 0 and 1, got {Text(openSet.HeldOutFraction)}");
            }

            if (openSet.QueryFraction is not (> 0 and < 1))
            {
                yield return ("data:split:openSet:queryFraction", $"expected a share of each held-out class's test images strictly between 0 and 1 (the rest is its gallery), got {Text(openSet.QueryFraction)}");
            }
        }

        if (spec.Evaluation.StreamAbove is < 0)
        {
            yield return ("evaluation:streamAbove", $"expected 0 (always stream) or a positive number of gallery images, got {spec.Evaluation.StreamAbove}");
        }
    }

    public void Prepare(RunSession session)
    {
        var experiment = session.Experiment;
        backbone = session.Create<IBackboneFactory>(experiment.Backbone);
        newBackbone = session.Create<IBackboneFactory>(experiment.NewBackbone);
        loss = session.Create<ICompatibilityLoss>(experiment.Loss!);
        data = OpenSetSplit.Make(session.Dataset, session.Spec.Data.Split, session.IntSeed("open-set"));
    }

    public RunResult Run(RunSession session)
    {
        if (backbone is null || newBackbone is null || loss is null || data is null)
        {
            throw new InvalidOperationException("Prepare comes before Run");
        }

        session.Log.Info($"open-set: old model learns {data.Old.Classes.Count} of the {data.New.Classes.Count} training classes ({data.New.Images.Count} images)");
        var models = new StageModels(session);
        using var oldModel = new FrozenOldModel(models.TrainOrLoadOld(backbone, data.Old), data.Old.Classes);
        using var newModel = models.TrainOrLoadNew(newBackbone, data.New, oldModel, loss, NewStageNames.Final);
        return OpenSetEvaluation.Evaluate(session, oldModel.Model, newModel, data);
    }

    public void Dispose()
    {
        data?.Dispose();
        loss?.Dispose();
    }

    private static string Text(double value) => value.ToString(CultureInfo.InvariantCulture);
}
