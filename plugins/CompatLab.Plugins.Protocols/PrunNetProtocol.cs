using CompatLab.Abstractions.Models;
using CompatLab.Abstractions.Plugins;
using CompatLab.Abstractions.Training;
using CompatLab.Engine.Configuration;
using CompatLab.Engine.Data;
using CompatLab.Engine.Models;
using CompatLab.Engine.Pruning;
using CompatLab.Engine.Runs;
using CompatLab.Engine.Tracking;
using CompatLab.Engine.Training;

namespace CompatLab.Plugins.Protocols;

/// <summary>
/// One network with scores, trained by the multi-capacity step on all training data; no old model. The trained
/// network is kept under its model key (training settings only), so runs that differ only in their evaluation
/// train it once; the run folder gets a copy as new-model.bin for `compatlab prune`. Then
/// <see cref="PrunNetEvaluation"/> prunes it to every capacity.
/// </summary>
[CompatLabPlugin(PluginKind.Protocol, "prunnet", Section = "prunnet", Description = "Asked for by a prunnet section: one network trained at several capacities by a gradient integrator, evaluated pruned to each capacity.")]
public sealed class PrunNetProtocol : IProtocol
{
    /// <summary>Beside a cached PrunNet network: the metrics its training logged, replayed by runs that reuse it.</summary>
    public const string TrainingMetricsFile = "training-metrics.jsonl";

    private IBackboneFactory? backbone;
    private IGradientIntegrator? integrator;
    private StageData? data;

    public IEnumerable<(string Key, string Problem)> Check(ExperimentSpec spec)
    {
        if (spec.Prunnet is null)
        {
            yield return ("data:split:type", "the prunnet protocol is asked for by a prunnet section, not by data.split.type; add a prunnet section and keep data.split.type extended-class");
        }

        foreach (var problem in SplitChecks.NoSequence(spec.Data.Split))
        {
            yield return problem;
        }
    }

    public void Prepare(RunSession session)
    {
        var experiment = session.Experiment;
        session.Create<IBackboneFactory>(experiment.Backbone); // made and dropped as every run does, so plugin construction stays the same
        backbone = session.Create<IBackboneFactory>(experiment.NewBackbone);
        integrator = session.Create<IGradientIntegrator>(experiment.PrunNet!.Integrator);
        data = ProtocolSplit.NewStage(session.Dataset);
    }

    public RunResult Run(RunSession session)
    {
        if (backbone is null || integrator is null || data is null)
        {
            throw new InvalidOperationException("Prepare comes before Run");
        }

        var (experiment, spec) = (session.Experiment, session.Spec);
        using var model = ModelBuilder.Build(backbone, session.Input, spec.Model, session.Dataset.ClassCount, session.Seed("new-init"), session.Device, withScores: true);
        string folder = experiment.PrunNetModelFolder!;
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, "model.bin");
        using (FolderLock.Acquire(folder, m => session.Messages.WriteLine(m)))
        {
            if (File.Exists(path))
            {
                model.load(path);
                int replayed = RecordingTracker.Replay(Path.Combine(folder, TrainingMetricsFile), session.Log.Tracker, session.Log.Warn);
                session.Log.Info($"prunnet: reusing the trained network {path}" + (replayed > 0 ? $" and its {replayed} training metric points" : string.Empty));
            }
            else
            {
                Train(session, model, folder);
                StageModels.Save(model, path);
            }
        }

        AtomicFile.Copy(path, Path.Combine(experiment.RunFolder, "new-model.bin"));
        return PrunNetEvaluation.Evaluate(session, data, model);
    }

    public void Dispose()
    {
        data?.Dispose();
    }

    private void Train(RunSession session, RetrievalModel model, string folder)
    {
        var (spec, prunNet, log) = (session.Spec, session.Experiment.PrunNet!, session.Log);
        log.Info($"prunnet: capacities {string.Join(", ", prunNet.Capacities)} merged by '{prunNet.Integrator.Descriptor.Name}'");
        using var step = new MultiCapacityStep(model, prunNet.Capacities, integrator!, prunNet.GradClipNorm, session.IntSeed("integrator"), session.Device);
        using var recorder = new RecordingTracker(log.Tracker, Path.Combine(folder, TrainingMetricsFile));
        var trainer = new StageTrainer(
            "new", model, data!, spec.New.Training, session.Seed("new-order"), session.Device,
            session.Checkpoints(Path.Combine(folder, "checkpoints", "new")), spec.Checkpoints.EverySteps,
            new RunLog(recorder, log.Messages), step, session.Cancel)
        { Format = StepFormat.From(spec.Runtime), Loader = session.Loader };
        trainer.Run();
    }
}
