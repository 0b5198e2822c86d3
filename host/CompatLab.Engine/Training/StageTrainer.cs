using CompatLab.Abstractions;
using CompatLab.Abstractions.Data;
using CompatLab.Abstractions.Losses;
using CompatLab.Engine.Configuration;
using CompatLab.Engine.Console;
using CompatLab.Engine.Data;
using CompatLab.Engine.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using CompatLab.Engine.Tracking;

namespace CompatLab.Engine.Training;

/// <summary>
/// Trains one stage (the old model, the new one with its compatibility term, or a PrunNet network) with the step
/// it is given: seeded batch order per epoch, batches loaded ahead by a <see cref="BatchPrefetcher"/>, learning rate
/// from the schedule, checkpoints every few steps and at each epoch's end, resume from the newest checkpoint at the
/// batch it stopped before. Every tensor of a step is made inside that step's dispose scope, except the loaded batch,
/// which the step owns and disposes; so memory stays flat.
/// </summary>
public sealed class StageTrainer
{
    private readonly string stage;
    private readonly RetrievalModel model;
    private readonly StageData data;
    private readonly TrainingSpec spec;
    private readonly long orderSeed;
    private readonly Device device;
    private readonly CheckpointStore checkpoints;
    private readonly int checkpointEvery;
    private readonly RunLog log;
    private readonly ITrainingStep trainingStep;
    private readonly CancellationToken cancel;

    public StageTrainer(
        string stage,
        RetrievalModel model,
        StageData data,
        TrainingSpec spec,
        long orderSeed,
        Device device,
        CheckpointStore checkpoints,
        int checkpointEvery,
        RunLog log,
        ITrainingStep trainingStep,
        CancellationToken cancel)
    {
        this.stage = stage;
        this.model = model;
        this.data = data;
        this.spec = spec;
        this.orderSeed = orderSeed;
        this.device = device;
        this.checkpoints = checkpoints;
        this.checkpointEvery = Math.Max(1, checkpointEvery);
        this.log = log;
        this.trainingStep = trainingStep;
        this.cancel = cancel;
    }

    /// <summary>The layout of the input batches (runtime.memoryFormat); precision stays fp32 in runs.</summary>
    public StepFormat Format { get; init; } = StepFormat.Default;

    /// <summary>The augmentation seed and prefetch depth (a run's come from <c>RunSession.Loader</c>); by default seed 0, loaded inline.</summary>
    public LoaderSettings Loader { get; init; } = new(0, 0);

    /// <summary>To a GPU through pinned memory without blocking: the copy overlaps the host's work on the step.</summary>
    private Tensor ToDevice(Tensor batch) =>
        device.type == DeviceType.CUDA ? batch.pin_memory().to(device, non_blocking: true) : batch.to(device);

    public void Run()
    {
        long count = data.Images.Count;
        long perEpoch = count / spec.BatchSize;
        if (perEpoch == 0)
        {
            throw new CompatLabUserException($"{stage}.training.batchSize: {spec.BatchSize} is larger than the stage's {count} training images");
        }

        long total = perEpoch * spec.Epochs;
        if (spec.MaxSteps > 0)
        {
            total = Math.Min(total, spec.MaxSteps);
        }

        using var optimizer = OptimizerFactory.Create(spec.Optimizer, model.parameters());
        var schedule = new LearningRateSchedule(spec.Schedule, spec.Optimizer.Lr, total, perEpoch);
        var (position, windowStart) = Resume(optimizer);
        if (position.Step >= total)
        {
            return;
        }

        using var labelToRow = data.LabelToRow.to(device);
        long sumsSince = windowStart;
        var progress = new ProgressReporter(log.Messages, ProgressReporter.IsInteractive, stage, total, position.Step);
        var throughputClock = System.Diagnostics.Stopwatch.StartNew();

        // Time inside the training step itself; the rest of a window is the loop's own work (batch gathering, schedule,
        // logging, progress, checkpoints), logged as a share so the pipeline's overhead is measured, not guessed.
        var stepClock = new System.Diagnostics.Stopwatch();
        var stageClock = System.Diagnostics.Stopwatch.StartNew();
        long imagesSinceClock = 0;
        double throughput = 0;
        long step = position.Step;
        model.train();
        lastCheckpoint = position.Step;

        // On the CPU reading the step's finiteness flag costs nothing, so a NaN stops the run at its own step; on a
        // GPU it is read where the loop reads the device anyway (logging) and before every checkpoint.
        bool checkEveryStep = device.type == DeviceType.CPU;

        for (int epoch = position.Epoch; epoch < spec.Epochs && step < total; epoch++)
        {
            trainingStep.OnEpochStart(epoch);
            using var generator = new Generator((ulong)(orderSeed + epoch));
            using var order = randperm(count, generator: generator);
            int firstBatch = epoch == position.Epoch ? position.Batch : 0;
            int endBatch = (int)Math.Min(perEpoch, firstBatch + (total - step));
            using var batches = new BatchPrefetcher(
                data.Images, order.data<long>().ToArray(), spec.BatchSize, firstBatch, endBatch, new SamplePass(Loader.SampleSeed, epoch, Augment: true), Loader.Prefetch);
            for (int batch = firstBatch; batch < perEpoch && step < total; batch++)
            {
                OptimizerFactory.SetLearningRate(optimizer, schedule.At(step));
                using (var scope = NewDisposeScope())
                {
                    using var samples = batches.Next();
                    var batchInput = Batch(samples, order.narrow(0, batch * (long)spec.BatchSize, spec.BatchSize), labelToRow, step, epoch);
                    stepClock.Start();
                    RunStep(optimizer, batchInput, step + 1);
                    stepClock.Stop();
                }

                step++;
                imagesSinceClock += spec.BatchSize;
                trainingStep.OnStepEnd(new CompatibilityStepInfo(step, epoch, total));

                bool lastOfEpoch = batch == perEpoch - 1;
                bool logging = step % spec.LogEvery == 0 || step == total;
                if (checkEveryStep || logging)
                {
                    ThrowIfNonFinite(step, weightsToo: logging);
                }

                if (logging)
                {
                    double windowSeconds = Math.Max(1e-9, throughputClock.Elapsed.TotalSeconds);
                    throughput = imagesSinceClock / windowSeconds;
                    double loopShare = Math.Clamp(1 - (stepClock.Elapsed.TotalSeconds / windowSeconds), 0, 1);
                    imagesSinceClock = 0;
                    stepClock.Reset();

                    // Restarted before logging, so the logging's own cost lands in the next window instead of none.
                    throughputClock.Restart();
                    LogTraining(step - sumsSince, step, schedule.At(step - 1), throughput, loopShare);
                    sumsSince = step;
                }

                double stageRate = (step - position.Step) * (double)spec.BatchSize / Math.Max(1e-9, stageClock.Elapsed.TotalSeconds);
                progress.Update(step, double.IsNaN(LastLoss) ? "loss -" : $"loss {LastLoss:F3}", stageRate);
                var next = lastOfEpoch ? new TrainingPosition(epoch + 1, 0, step) : new TrainingPosition(epoch, batch + 1, step);
                if (step % checkpointEvery == 0 || lastOfEpoch || step == total)
                {
                    SaveCheckpoint(next, optimizer, sumsSince);
                }

                if (cancel.IsCancellationRequested)
                {
                    SaveCheckpoint(next, optimizer, sumsSince);
                    throw new OperationCanceledException($"{stage} interrupted at step {step}; run the same command again to resume");
                }
            }
        }
    }

    private double LastLoss { get; set; } = double.NaN;

    /// <summary>A step's input on the device: the loaded samples in the step's layout, their labels and classifier rows.</summary>
    private TrainingBatch Batch(Tensor samples, Tensor indices, Tensor labelToRow, long step, int epoch)
    {
        var images = Format.Input(ToDevice(samples));
        var labels = data.Images.Labels.index_select(0, indices).to(device);
        return new TrainingBatch(images, labels, labelToRow.index_select(0, labels), step, epoch);
    }

    private long lastCheckpoint;

    /// <summary>Stops the stage when a loss term, the gradient norm or (when asked) a weight has gone NaN or infinite.</summary>
    private void ThrowIfNonFinite(long step, bool weightsToo)
    {
        if (trainingStep.FirstNonFinite() is { } found)
        {
            throw new NonFiniteTrainingException(stage, found.Step, $"{found.Terms} from {found.Sources}", lastCheckpoint);
        }

        if (weightsToo && FiniteParameters.FirstNonFinite(model) is { } weight)
        {
            throw new NonFiniteTrainingException(stage, step, $"the weight '{weight}' (its gradient)", lastCheckpoint);
        }
    }

    private void LogTraining(long steps, long step, double rate, double throughput, double loopShare)
    {
        var stepMetrics = trainingStep.TakeMetrics(steps);
        LastLoss = stepMetrics.Count > 0 ? stepMetrics[0].Value : double.NaN;
        var values = stepMetrics.Select(m => ($"{stage}.{m.Name}", m.Value)).ToList();
        values.Add(($"{stage}.lr", rate));
        values.Add(($"{stage}.images_per_second", throughput));
        values.Add(($"{stage}.loop_overhead", loopShare));
        values.Add(($"{stage}.sys.rss_mb", Environment.WorkingSet / (1024.0 * 1024.0)));
        log.Metrics(values, step);
    }

    /// <summary>The position to go on from and the step that opened its logging window (the position itself when the checkpoint predates saved windows).</summary>
    private (TrainingPosition Position, long WindowStart) Resume(OptimizerHelper optimizer)
    {
        var loaded = checkpoints.LoadLatest(model, optimizer, log.Warn);
        CutJournals(loaded?.Position.Step ?? 0);
        if (loaded is null)
        {
            return (new TrainingPosition(0, 0, 0), 0);
        }

        var (position, extra) = loaded.Value;
        trainingStep.LoadState(extra);
        long windowStart = extra.TryGetValue(LogWindowState.StartKey, out var start) ? start.item<long>() : position.Step;
        foreach (var tensor in extra.Values)
        {
            tensor.Dispose();
        }

        log.Info($"{stage}: resuming from the checkpoint at step {position.Step}");
        return (position, windowStart);
    }

    /// <summary>Runs one step; an unexpected error (a plugin's, say) is wrapped to say which stage and step it broke.</summary>
    private void RunStep(OptimizerHelper optimizer, TrainingBatch batch, long step)
    {
        try
        {
            trainingStep.Run(optimizer, batch);
        }
        catch (Exception e) when (e is not CompatLabUserException and not OperationCanceledException)
        {
            throw new TrainingStepException(stage, step, e);
        }
    }

    /// <summary>Drops what an interrupted attempt logged after the step this one resumes from, so no point is logged twice.</summary>
    private void CutJournals(long step)
    {
        if (log.Tracker is Tracking.IMetricJournal journal && journal.CutBack(stage, step) is > 0 and var dropped)
        {
            log.Info($"{stage}: dropped {dropped} metric points that the interrupted attempt logged after step {step}");
        }
    }

    private void SaveCheckpoint(TrainingPosition next, OptimizerHelper optimizer, long windowStart)
    {
        ThrowIfNonFinite(next.Step, weightsToo: true);
        var extra = trainingStep.SaveState().ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        extra[LogWindowState.StartKey] = tensor(windowStart).DetachFromDisposeScope();
        checkpoints.Save(next, model, optimizer, extra);
        LogWindowState.DisposeTrainerEntries(extra);
        lastCheckpoint = next.Step;
    }
}
