using CompatLab.Abstractions.Losses;
using CompatLab.Abstractions.Models;
using CompatLab.Engine.Configuration;
using CompatLab.Engine.Data;
using CompatLab.Engine.Models;
using CompatLab.Engine.Tracking;
using CompatLab.Engine.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace CompatLab.Engine.Runs;

/// <summary>
/// Trains a stage's model or loads it when an earlier attempt finished it: the old model (cached under its model
/// key, so runs that share data, model and seed train it once) and new models (in the run folder, one file per
/// stage). Every stage checkpoints, so a stopped run resumes. Public for protocol plugins: every protocol needs a
/// stage that trains once and is reused after, and this is the one the built-in protocols use.
/// </summary>
public sealed class StageModels
{
    private readonly RunSession session;

    public StageModels(RunSession session)
    {
        this.session = session;
    }

    public static void Save(nn.Module model, string path) => AtomicFile.Replace(path, temporary => model.save(temporary));

    public RetrievalModel TrainOrLoadOld(IBackboneFactory backbone, StageData data)
    {
        var spec = session.Spec;
        if (spec.Old.Checkpoint is { } checkpoint)
        {
            return LoadOldCheckpoint(backbone, data, checkpoint);
        }

        string folder = session.Experiment.OldModelFolder;
        Directory.CreateDirectory(folder);
        using var guard = FolderLock.Acquire(folder, m => session.Messages.WriteLine(m));
        var model = ModelBuilder.Build(backbone, session.Input, spec.Model, data.Classes.Count, session.Seed("old-init"), session.Device);
        string path = Path.Combine(folder, "model.bin");
        if (File.Exists(path))
        {
            model.load(path);
            session.Log.Info($"old model: reusing {path}");
            return model;
        }

        using var step = new ClassificationStep(model, null, session.Device);
        var trainer = new StageTrainer(
            "old", model, data, spec.Old.Training, session.Seed("old-order"), session.Device,
            session.Checkpoints(Path.Combine(folder, "checkpoints")), spec.Checkpoints.EverySteps, session.Log, step, session.Cancel)
        { Format = StepFormat.From(spec.Runtime), Loader = session.Loader };
        trainer.Run();
        Save(model, path);
        return model;
    }

    /// <summary>The old model from old.checkpoint: built from the model section as a trained one would be, then the file's weights.</summary>
    private RetrievalModel LoadOldCheckpoint(IBackboneFactory backbone, StageData data, OldCheckpointSpec checkpoint)
    {
        var model = ModelBuilder.Build(backbone, session.Input, session.Spec.Model, data.Classes.Count, session.Seed("old-init"), session.Device);
        try
        {
            bool withClassifier = OldModelCheckpoint.LoadInto(model, checkpoint);
            session.Log.Info($"old model: loaded from {checkpoint.Path} (sha256 {checkpoint.Sha256}); old training skipped");
            if (!withClassifier)
            {
                session.Log.Warn(
                    $"old model: {checkpoint.Path} has no {OldModelCheckpoint.ClassifierPrefix}* keys, so the old classifier keeps its seeded " +
                    "initialisation; losses that score new embeddings with the old classifier (bct) then learn against a random one");
            }

            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>A new model trained with the classification loss plus lambda times <paramref name="loss"/> against <paramref name="oldModel"/>.</summary>
    public RetrievalModel TrainOrLoadNew(IBackboneFactory backbone, StageData data, FrozenOldModel oldModel, ICompatibilityLoss loss, NewStageNames names)
    {
        var spec = session.Spec;
        var device = session.Device;
        int classCount = session.Dataset.ClassCount;
        var model = ModelBuilder.Build(backbone, session.Input, spec.Model, data.Classes.Count, session.Seed("new-init" + names.SeedSuffix), device);
        string path = Path.Combine(session.RunFolder, names.ModelFile);
        if (File.Exists(path))
        {
            model.load(path);
            session.Log.Info($"{names.Stage} model: reusing {path}");
            return model;
        }

        Tensor? classMeans = null;
        try
        {
            var context = new CompatibilityContext(
                oldModel, classCount, spec.Model.EmbeddingDim, device, session.IntSeed("loss" + names.SeedSuffix), session.Log,
                () => classMeans ??= ClassMeans.Compute(oldModel, data.Images, classCount, device));
            loss.Prepare(context);
            using var step = new ClassificationStep(model, new CompatibilityTerm(loss, oldModel, spec.New.Lambda), device);
            var trainer = new StageTrainer(
                names.Stage, model, data, spec.New.Training, session.Seed("new-order" + names.SeedSuffix), device,
                session.Checkpoints(Path.Combine(session.RunFolder, "checkpoints", names.Stage)), spec.Checkpoints.EverySteps,
                session.Log, step, session.Cancel)
            { Format = StepFormat.From(spec.Runtime), Loader = session.Loader };
            trainer.Run();
            Save(model, path);
            return model;
        }
        finally
        {
            classMeans?.Dispose();
        }
    }
}
