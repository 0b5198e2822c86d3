using CompatLab.Engine.Runtime;
using System.Text.Json;
using CompatLab.Abstractions.Data;
using CompatLab.Abstractions.Losses;
using CompatLab.Abstractions.Models;
using CompatLab.Abstractions.Tracking;
using CompatLab.Abstractions.Training;
using CompatLab.Engine.Configuration;
using CompatLab.Engine.Data;
using CompatLab.Engine.Evaluation;
using CompatLab.Engine.Models;
using CompatLab.Engine.Plugins;
using CompatLab.Engine.Pruning;
using CompatLab.Engine.Reproducibility;
using CompatLab.Engine.Tracking;
using CompatLab.Engine.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace CompatLab.Engine.Runs;

/// <summary>
/// Runs one resolved experiment: load data, old model (trained once per data/model/seed and cached), new model
/// with its compatibility loss, evaluation. A PrunNet experiment instead trains one network with scores by the
/// multi-capacity step and evaluates it. Input is checked before the run folder is created, so bad input leaves
/// nothing behind; after that every stage checkpoints and a repeated command resumes where it stopped.
/// </summary>
public sealed class ExperimentRunner
{
    /// <summary>Beside a cached PrunNet network: the metrics its training logged, replayed by runs that reuse it.</summary>
    public const string TrainingMetricsFile = "training-metrics.jsonl";

    /// <summary>How long a run waits for another process on the same run folder (a worker finishing its step) before refusing.</summary>
    public static readonly TimeSpan RunLockWait = TimeSpan.FromSeconds(10);

    private readonly PluginCatalog catalog;
    private readonly TextWriter messages;

    public ExperimentRunner(PluginCatalog catalog, TextWriter messages)
    {
        this.catalog = catalog;
        this.messages = messages;
    }

    /// <summary>The run folder of the matrix run this run belongs to (trackers link it as the parent), or null.</summary>
    public string? ParentRunFolder { get; init; }

    /// <exception cref="Abstractions.CompatLabUserException">Bad input, a plugin that threw, or output that could not be
    /// written, each said in one line (<see cref="RunFailures"/>).</exception>
    public RunResult Run(ResolvedExperiment experiment, string source, bool force, CancellationToken cancel)
    {
        var failures = new RunFailures(catalog.Plugins, experiment.RunFolder);
        try
        {
            return Run(experiment, source, force, failures, cancel);
        }
        catch (Exception e)
        {
            RunFailures.Throw(failures.Describe(e));
            throw;
        }
    }

    private RunResult Run(ResolvedExperiment experiment, string source, bool force, RunFailures failures, CancellationToken cancel)
    {
        var spec = experiment.Spec;
        string folder = experiment.RunFolder;
        if (!force && Finished(experiment) is { } done)
        {
            return done;
        }

        torch.set_num_threads(spec.Threads > 0 ? spec.Threads : Environment.ProcessorCount);
        FreshMemoryFill.ApplyFromEnvironment();
        var device = torch.device(spec.Device);

        // Everything that can fail on the user's input happens before the run folder exists.
        using var dataset = Create<IDatasetProvider>(experiment.Dataset).Load(new DatasetLoadContext(spec.Seed));
        var backbone = Create<IBackboneFactory>(experiment.Backbone);
        var newBackbone = Create<IBackboneFactory>(experiment.NewBackbone);
        using var loss = experiment.Loss is null ? null : Create<ICompatibilityLoss>(experiment.Loss);
        var integrator = experiment.PrunNet is null ? null : Create<IGradientIntegrator>(experiment.PrunNet.Integrator);
        var pluginTrackers = experiment.Trackers.Select(Create<IExperimentTracker>).ToList();
        int dataSeed = SeedDerivation.DeriveInt(spec.Seed, "old-data");
        int models = experiment.PrunNet is null ? ProtocolSplit.SequenceLength(spec.Data.Split) : 1;
        using var oldData = experiment.PrunNet is null ? ProtocolSplit.OldStage(dataset, spec.Data.Split, dataSeed) : null;
        using var newData = models > 1 ? ProtocolSplit.SequenceStage(dataset, spec.Data.Split, models - 1, dataSeed) : ProtocolSplit.NewStage(dataset);

        using var runLock = RunLock.Acquire(folder, RunLockWait, m => messages.WriteLine(m));
        if (!force && Finished(experiment) is { } finishedMeanwhile)
        {
            return finishedMeanwhile; // by the process this one waited for
        }

        if (force && Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        Directory.CreateDirectory(folder);
        messages.WriteLine($"== {spec.Name} / {experiment.Label} -> {folder}");
        AtomicFile.WriteAllText(Path.Combine(folder, "config.json"), experiment.Resolved.ToJsonString(JsonFormats.Indented));
        var manifest = RunManifest.Capture(experiment, source, DatasetDigest.Inputs(dataset, experiment.Resolved["data"]?["dataset"]?.ToJsonString() ?? "{}"));
        manifest.Write(folder);
        WriteState(folder, experiment, RunState.Running);
        using var tracker = new TrackerFanOut(new IExperimentTracker[] { new RunFolderTracker(m => messages.WriteLine("warning: " + m)) }.Concat(pluginTrackers), m => messages.WriteLine("warning: " + m));
        var log = new RunLog(tracker, messages);
        tracker.StartRun(new TrackedRun(spec.Name, $"{experiment.Label}-{experiment.ContentHash}", experiment.ContentHash, Path.GetFullPath(folder), Tags(experiment, source, manifest.Git, ParentRunFolder)) { Inputs = manifest.Datasets });
        tracker.LogParams(SpecJson.Flatten(experiment.Resolved).ToDictionary(p => p.Key, p => p.Value));
        tracker.CutBack("eval", -1); // evaluation comes last: an earlier attempt's results are logged again below

        try
        {
            var input = (dataset.Channels, dataset.Height, dataset.Width);
            var result = experiment.PrunNet is not null
                ? RunPrunNet(experiment, newBackbone, input, dataset, newData, integrator!, device, log, cancel)
                : RunCompatibility(experiment, backbone, newBackbone, input, dataset, oldData!, newData, loss!, dataSeed, device, log, cancel);
            AtomicFile.WriteAllText(Path.Combine(folder, "results.json"), JsonSerializer.Serialize(result, JsonFormats.Indented));
            AtomicFile.WriteAllText(
                Path.Combine(folder, "results.md"),
                ResultsTable.Markdown(new[] { result })
                    + (result.Sequence is { } chain ? "\n" + SequenceTable.Markdown(chain) : string.Empty)
                    + (result.Subnetworks is { } subnetworks ? "\n" + SubnetworkTable.Markdown(subnetworks) : string.Empty));
            var charts = result.Subnetworks?.Select(r => SubnetworkScores.ChartFile(r.Criterion, r.Scope)).Distinct() ?? [];
            foreach (string artifact in new[] { "config.json", "results.json", "results.md" }.Concat(charts))
            {
                tracker.LogArtifact(Path.Combine(folder, artifact), artifact);
            }

            WriteState(folder, experiment, RunState.Finished);
            tracker.EndRun(RunStatus.Finished);
            return result;
        }
        catch (OperationCanceledException e)
        {
            WriteState(folder, experiment, RunState.Killed, e.Message);
            tracker.EndRun(RunStatus.Killed);
            throw;
        }
        catch (Exception e)
        {
            var failure = failures.Describe(e);
            RunFailures.Quietly(() => WriteState(folder, experiment, RunState.Failed, failure.Message));
            RunFailures.Quietly(() => tracker.EndRun(RunStatus.Failed));
            failures.SweepTemporaryFiles();
            RunFailures.Throw(failure);
            throw;
        }
    }

    private RunResult? Finished(ResolvedExperiment experiment)
    {
        string results = Path.Combine(experiment.RunFolder, "results.json");
        if (ReadState(experiment.RunFolder)?.Status != RunState.Finished || !File.Exists(results))
        {
            return null;
        }

        messages.WriteLine($"{experiment.Label}: already finished in {experiment.RunFolder} (pass --force to run it again)");
        return ReadResult(results);
    }

    public static RunResult ReadResult(string path) =>
        JsonSerializer.Deserialize<RunResult>(File.ReadAllText(path), JsonFormats.Indented)
            ?? throw new InvalidDataException($"{path}: no results");

    public static RunState? ReadState(string folder)
    {
        string path = Path.Combine(folder, "state.json");
        return File.Exists(path) ? JsonSerializer.Deserialize<RunState>(File.ReadAllText(path), JsonFormats.Indented) : null;
    }

    private static void WriteState(string folder, ResolvedExperiment experiment, string status, string? error = null) =>
        AtomicFile.WriteAllText(
            Path.Combine(folder, "state.json"),
            JsonSerializer.Serialize(new RunState(status, experiment.ContentHash, experiment.OldModelKey, DateTimeOffset.UtcNow, error), JsonFormats.Indented));

    private static Dictionary<string, string> Tags(ResolvedExperiment experiment, string source, GitRepository? repository, string? parentRunFolder)
    {
        var tags = new Dictionary<string, string>
        {
            ["compatlab.content_hash"] = experiment.ContentHash,
            ["compatlab.old_model_key"] = experiment.OldModelKey,
            ["compatlab.source"] = source,
            ["compatlab.host"] = Environment.MachineName,
            ["compatlab.allocator"] = Runtime.Jemalloc.ActiveAllocator(),
            ["compatlab.contract"] = Abstractions.Plugins.ContractVersion.Current.ToString(2),
        };
        foreach (var plugin in experiment.Plugins)
        {
            tags[$"compatlab.plugin.{plugin.Descriptor.KindName}.{plugin.Descriptor.Name}"] = $"{plugin.Descriptor.AssemblyName} {plugin.Descriptor.Version}";
        }

        SourceTags.Add(tags, repository, source);
        if (parentRunFolder is not null)
        {
            tags["compatlab.parent_run_folder"] = Path.GetFullPath(parentRunFolder);
        }

        return tags;
    }

    private static RetrievalScores Scores(RetrievalMetrics metrics) =>
        new(metrics.Map, metrics.MapAtK, metrics.K, metrics.RecallAtK.TryGetValue(1, out double r1) ? r1 : double.NaN);

    private static void SaveModel(nn.Module model, string path) => AtomicFile.Replace(path, temporary => model.save(temporary));

    private T Create<T>(BoundPlugin plugin)
        where T : class => (T)catalog.Create(plugin.Descriptor, plugin.Options);

    private RunResult RunCompatibility(
        ResolvedExperiment experiment, IBackboneFactory backbone, IBackboneFactory newBackbone, (long, long, long) input, DatasetBundle dataset,
        StageData oldData, StageData newData, ICompatibilityLoss loss, int dataSeed, Device device, RunLog log, CancellationToken cancel)
    {
        using var oldModel = new FrozenOldModel(TrainOrLoadOld(experiment, backbone, input, oldData, device, log, cancel), oldData.Classes);
        if (ProtocolSplit.SequenceLength(experiment.Spec.Data.Split) > 1)
        {
            return RunSequence(experiment, newBackbone, input, dataset, oldModel, newData, loss, dataSeed, device, log, cancel);
        }

        using var newModel = TrainOrLoadNew(experiment, newBackbone, input, newData, dataset.ClassCount, oldModel, loss, device, log, cancel, NewStageNames.Final);
        return Evaluate(experiment, dataset, oldModel.Model, newModel, device, log);
    }

    /// <summary>
    /// The sequence protocol: phi_1 is the old model; phi_2..phi_T are trained in turn, each with the compatibility
    /// loss against the frozen model before it (a fresh loss instance per model, since losses keep state); phi_T is
    /// the run's new model. Then every model's test features are compared with every earlier model's gallery.
    /// </summary>
    private RunResult RunSequence(
        ResolvedExperiment experiment, IBackboneFactory backbone, (long, long, long) input, DatasetBundle dataset, FrozenOldModel first,
        StageData lastData, ICompatibilityLoss lastLoss, int dataSeed, Device device, RunLog log, CancellationToken cancel)
    {
        var split = experiment.Spec.Data.Split;
        int models = ProtocolSplit.SequenceLength(split);
        var chain = new List<FrozenOldModel> { first };
        try
        {
            for (int index = 1; index < models; index++)
            {
                bool last = index == models - 1;
                var names = last ? NewStageNames.Final : NewStageNames.Intermediate(index);
                using var data = last ? null : ProtocolSplit.SequenceStage(dataset, split, index, dataSeed);
                using var stageLoss = last ? null : Create<ICompatibilityLoss>(experiment.Loss!);
                var stageData = data ?? lastData;
                log.Info($"sequence: model {index + 1} of {models} learns {stageData.Images.Count} images of {stageData.Classes.Count} classes");
                var model = TrainOrLoadNew(experiment, backbone, input, stageData, dataset.ClassCount, chain[^1], stageLoss ?? lastLoss, device, log, cancel, names);
                chain.Add(new FrozenOldModel(model, stageData.Classes));
            }

            return EvaluateSequence(experiment, dataset, chain.Select(m => m.Model).ToList(), device, log);
        }
        finally
        {
            foreach (var model in chain.Skip(1))
            {
                model.Dispose();
            }
        }
    }

    private RunResult EvaluateSequence(ResolvedExperiment experiment, DatasetBundle dataset, IReadOnlyList<RetrievalModel> chain, Device device, RunLog log)
    {
        var spec = experiment.Spec;
        log.Info($"{experiment.Label}: evaluating {chain.Count} models pairwise on {dataset.Test.Count} test images (query set = gallery set)");
        var features = new List<Tensor>();
        try
        {
            foreach (var model in chain)
            {
                features.Add(model.EmbedAll(dataset.Test.Images, device));
            }

            var labels = dataset.Test.Labels;
            var evaluator = Evaluator(spec);
            var rows = new List<IReadOnlyList<double>>();
            var metrics = new List<(string, double)>();
            RetrievalMetrics? cross = null;
            var diagonal = new List<RetrievalMetrics>();
            for (int t = 0; t < chain.Count; t++)
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
                    else if (t == chain.Count - 1 && k == 0)
                    {
                        cross = m;
                    }
                }

                rows.Add(row);
            }

            var matrix = new CompatibilityMatrix(rows);
            var (oldSelf, newSelf) = (diagonal[0], diagonal[^1]);
            metrics.Add(("eval.sequence.ac", matrix.AverageCompatibility));
            metrics.Add(("eval.sequence.am", matrix.AverageMultiModelAccuracy));
            metrics.AddRange(EvaluationMetrics(("old_self", oldSelf), ("new_self", newSelf), ("cross", cross!)));
            metrics.Add(("eval.ecc", cross!.Map > oldSelf.Map ? 1 : 0));
            log.Metrics(metrics, 0);
            var sequence = spec.Data.Split.Sequence!;
            return new RunResult(experiment.Label, experiment.Method, spec.Seed, experiment.RunFolder, Scores(oldSelf), Scores(newSelf), Scores(cross))
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

    /// <summary>
    /// One network with scores, trained by the multi-capacity step on all training data; no old model. The trained
    /// network is kept under its model key (training settings only), so runs that differ only in their evaluation
    /// train it once; the run folder gets a copy as new-model.bin for `compatlab prune`.
    /// </summary>
    private RunResult RunPrunNet(
        ResolvedExperiment experiment, IBackboneFactory backbone, (long, long, long) input, DatasetBundle dataset,
        StageData data, IGradientIntegrator integrator, Device device, RunLog log, CancellationToken cancel)
    {
        var spec = experiment.Spec;
        var prunNet = experiment.PrunNet!;
        using var model = ModelBuilder.Build(backbone, input, spec.Model, dataset.ClassCount, SeedDerivation.Derive(spec.Seed, "new-init"), device, withScores: true);
        string folder = experiment.PrunNetModelFolder!;
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, "model.bin");
        using (FolderLock.Acquire(folder, m => messages.WriteLine(m)))
        {
            string recording = Path.Combine(folder, TrainingMetricsFile);
            if (File.Exists(path))
            {
                model.load(path);
                int replayed = RecordingTracker.Replay(recording, log.Tracker, log.Warn);
                log.Info($"prunnet: reusing the trained network {path}" + (replayed > 0 ? $" and its {replayed} training metric points" : string.Empty));
            }
            else
            {
                log.Info($"prunnet: capacities {string.Join(", ", prunNet.Capacities)} merged by '{prunNet.Integrator.Descriptor.Name}'");
                using var step = new MultiCapacityStep(model, prunNet.Capacities, integrator, prunNet.GradClipNorm, SeedDerivation.DeriveInt(spec.Seed, "integrator"), device);
                using var recorder = new RecordingTracker(log.Tracker, recording);
                var trainer = new StageTrainer(
                    "new", model, data, spec.New.Training, SeedDerivation.Derive(spec.Seed, "new-order"), device,
                    new CheckpointStore(Path.Combine(folder, "checkpoints", "new"), spec.Checkpoints.Keep), spec.Checkpoints.EverySteps,
                    new RunLog(recorder, log.Messages), step, cancel)
                { Format = StepFormat.From(spec.Runtime) };
                trainer.Run();
                SaveModel(model, path);
            }
        }

        AtomicFile.Copy(path, Path.Combine(experiment.RunFolder, "new-model.bin"));
        return EvaluatePrunNet(experiment, dataset, data, model, device, log);
    }

    private RetrievalModel TrainOrLoadOld(ResolvedExperiment experiment, IBackboneFactory backbone, (long, long, long) input, StageData data, Device device, RunLog log, CancellationToken cancel)
    {
        var spec = experiment.Spec;
        string folder = experiment.OldModelFolder;
        Directory.CreateDirectory(folder);
        using var guard = FolderLock.Acquire(folder, m => messages.WriteLine(m));
        var model = ModelBuilder.Build(backbone, input, spec.Model, data.Classes.Count, SeedDerivation.Derive(spec.Seed, "old-init"), device);
        string path = Path.Combine(folder, "model.bin");
        if (File.Exists(path))
        {
            model.load(path);
            log.Info($"old model: reusing {path}");
            return model;
        }

        using var step = new ClassificationStep(model, null, device);
        var trainer = new StageTrainer(
            "old", model, data, spec.Old.Training, SeedDerivation.Derive(spec.Seed, "old-order"), device,
            new CheckpointStore(Path.Combine(folder, "checkpoints"), spec.Checkpoints.Keep), spec.Checkpoints.EverySteps, log, step, cancel)
        { Format = StepFormat.From(spec.Runtime) };
        trainer.Run();
        SaveModel(model, path);
        return model;
    }

    private RetrievalModel TrainOrLoadNew(
        ResolvedExperiment experiment, IBackboneFactory backbone, (long, long, long) input, StageData data, int classCount,
        FrozenOldModel oldModel, ICompatibilityLoss loss, Device device, RunLog log, CancellationToken cancel, NewStageNames names)
    {
        var spec = experiment.Spec;
        var model = ModelBuilder.Build(backbone, input, spec.Model, data.Classes.Count, SeedDerivation.Derive(spec.Seed, "new-init" + names.SeedSuffix), device);
        string path = Path.Combine(experiment.RunFolder, names.ModelFile);
        if (File.Exists(path))
        {
            model.load(path);
            return model;
        }

        Tensor? classMeans = null;
        try
        {
            var context = new CompatibilityContext(
                oldModel, classCount, spec.Model.EmbeddingDim, device, SeedDerivation.DeriveInt(spec.Seed, "loss" + names.SeedSuffix), log,
                () => classMeans ??= ClassMeans.Compute(oldModel, data.Images, classCount, device));
            loss.Prepare(context);
            using var step = new ClassificationStep(model, new CompatibilityTerm(loss, oldModel, spec.New.Lambda), device);
            var trainer = new StageTrainer(
                names.Stage, model, data, spec.New.Training, SeedDerivation.Derive(spec.Seed, "new-order" + names.SeedSuffix), device,
                new CheckpointStore(Path.Combine(experiment.RunFolder, "checkpoints", names.Stage), spec.Checkpoints.Keep), spec.Checkpoints.EverySteps,
                log, step, cancel)
            { Format = StepFormat.From(spec.Runtime) };
            trainer.Run();
            SaveModel(model, path);
            return model;
        }
        finally
        {
            classMeans?.Dispose();
        }
    }

    private RunResult Evaluate(ResolvedExperiment experiment, DatasetBundle dataset, RetrievalModel oldModel, RetrievalModel newModel, Device device, RunLog log)
    {
        var spec = experiment.Spec;
        log.Info($"{experiment.Label}: evaluating on {dataset.Test.Count} test images (query set = gallery set)");
        using var oldFeatures = oldModel.EmbedAll(dataset.Test.Images, device);
        using var newFeatures = newModel.EmbedAll(dataset.Test.Images, device);
        var labels = dataset.Test.Labels;
        var evaluator = Evaluator(spec);
        var oldSelf = evaluator.Evaluate(oldFeatures, labels, oldFeatures, labels, excludeSelf: true);
        var newSelf = evaluator.Evaluate(newFeatures, labels, newFeatures, labels, excludeSelf: true);
        var cross = evaluator.Evaluate(newFeatures, labels, oldFeatures, labels, excludeSelf: true);
        var metrics = EvaluationMetrics(("old_self", oldSelf), ("new_self", newSelf), ("cross", cross));
        metrics.Add(("eval.ecc", cross.Map > oldSelf.Map ? 1 : 0));
        log.Metrics(metrics, 0);
        return new RunResult(experiment.Label, experiment.Method, spec.Seed, experiment.RunFolder, Scores(oldSelf), Scores(newSelf), Scores(cross));
    }

    /// <summary>
    /// The dense network's self-test (the new self-test column; a PrunNet run has no old model and no cross-test),
    /// then the capacity grid once per (criterion, scope) pair: per capacity the sub self-test and the sub-to-dense
    /// cross-test, BatchNorm recalibrated on the training data. Each pair also gets its map-vs-capacity chart.
    /// </summary>
    private RunResult EvaluatePrunNet(ResolvedExperiment experiment, DatasetBundle dataset, StageData training, RetrievalModel model, Device device, RunLog log)
    {
        var spec = experiment.Spec;
        var evaluation = experiment.PrunNet!.Evaluation;
        log.Info($"{experiment.Label}: evaluating the dense network on {dataset.Test.Count} test images (query set = gallery set)");
        RetrievalMetrics denseSelf;
        using (var features = model.EmbedAll(dataset.Test.Images, device))
        {
            var labels = dataset.Test.Labels;
            denseSelf = Evaluator(spec).Evaluate(features, labels, features, labels, excludeSelf: true);
        }

        log.Metrics(EvaluationMetrics(("new_self", denseSelf)), 0);
        var rows = new List<SubnetworkScores>();
        foreach (var pruning in evaluation.Criteria)
        {
            log.Info($"{experiment.Label}: pruning with {pruning.CriterionName}, {pruning.ScopeName} scope, to capacities {string.Join(", ", evaluation.Capacities)}");
            var criterion = Create<IPruningCriterion>(pruning.Criterion);
            try
            {
                var options = new CapacityGridOptions
                {
                    Capacities = evaluation.Capacities,
                    Scope = pruning.Scope,
                    RecalibrationBatches = evaluation.RecalibrationBatches,
                    BatchSize = spec.New.Training.BatchSize,
                    Seed = spec.Seed,
                    Evaluation = EvaluatorOptions(spec),
                };
                var grid = new CapacityGridEvaluator(criterion, options, device, messages).Evaluate(model, training, dataset.Test);
                var scores = grid.Capacities.Select(c => SubnetworkScores.From(pruning.CriterionName, pruning.ScopeName, c)).ToList();
                rows.AddRange(scores);
                log.Metrics(scores.SelectMany(SubnetworkScores.Metrics).ToList(), 0);
                var report = new PruningReport(Path.GetFullPath(experiment.RunFolder), pruning.CriterionName, pruning.ScopeName, evaluation.RecalibrationBatches, spec.Seed, grid);
                PruningChart.Save(Path.Combine(experiment.RunFolder, SubnetworkScores.ChartFile(pruning.CriterionName, pruning.ScopeName)), report);
            }
            finally
            {
                (criterion as IDisposable)?.Dispose();
            }
        }

        return new RunResult(experiment.Label, experiment.Method, spec.Seed, experiment.RunFolder, null, Scores(denseSelf), null) { Subnetworks = rows };
    }

    private static RetrievalEvaluatorOptions EvaluatorOptions(ExperimentSpec spec) => new()
    {
        QueryChunkSize = spec.Evaluation.ChunkSize,
        MapAtK = spec.Evaluation.MapAtK,
        RecallAtK = spec.Evaluation.RecallAtK.ToList(),
    };

    private static RetrievalEvaluator Evaluator(ExperimentSpec spec) => new(EvaluatorOptions(spec));

    private static List<(string, double)> EvaluationMetrics(params (string Name, RetrievalMetrics Metrics)[] tests)
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
