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
/// it is given: seeded batch order per epoch, batches loaded ahead (across epoch ends) by a <see cref="BatchPrefetcher"/>, learning rate
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
        long perEpoch = data.Images.Count / spec.BatchSize;
        if (perEpoch == 0)
        {
            throw new CompatLabUserException($"{stage}.training.batchSize: {spec.BatchSize} is larger than the stage's {data.Images.Count} training images");
        }

        long total = spec.MaxSteps > 0 ? Math.Min(perEpoch * spec.Epochs, spec.MaxSteps) : perEpoch * spec.Epochs;
        using var optimizer = OptimizerFactory.Create(spec.Optimizer, model.parameters());
        var schedule = new LearningRateSchedule(spec.Schedule, spec.Optimizer.Lr, total, perEpoch);
        var (position, windowStart) = Resume(optimizer);
        if (position.Step >= total)
        {
            return;
        }

        using var labelToRow = data.LabelToRow.to(device);
        var progress = new ProgressReporter(log.Messages, ProgressReporter.IsInteractive, stage, total, position.Step);
        var loop = new StageLoop(optimizer, schedule, labelToRow, perEpoch, total, position.Step, windowStart, progress);
        model.train();
        lastCheckpoint = position.Step;

        // One prefetcher for the whole stage, so the next epoch's first batches load while this epoch's last ones train.
        var plan = new StageBatchPlan(data.Images.Count, spec.BatchSize, orderSeed, Loader.SampleSeed);
        using (var batches = new BatchPrefetcher(data.Images, plan.From(position.Epoch, position.Batch, perEpoch, total - position.Step), Loader.Prefetch))
        {
            for (int epoch = position.Epoch; epoch < spec.Epochs && loop.Step < total; epoch++)
            {
                RunEpoch(loop, batches, epoch, epoch == position.Epoch ? position.Batch : 0);
            }
        }

        log.Info(Summary(loop));
    }

    /// <summary>
    /// The stage's closing line: steps, rate, how much of the time after the first batch the loop waited for data,
    /// and how long the first batch took (TrainingClocks says why the two are apart).
    /// </summary>
    private string Summary(StageLoop loop) => string.Create(
        System.Globalization.CultureInfo.InvariantCulture,
        $"{stage}: {loop.Step - loop.StartStep} steps in {loop.Clocks.StageTime.TotalSeconds:F1} s, {loop.Clocks.StageRate(loop.Step - loop.StartStep, spec.BatchSize):F0} img/s, data wait {loop.Clocks.SteadyWaitFraction:P1} of step time after the first batch (first batch {loop.Clocks.FirstWait.TotalMilliseconds:F0} ms, {loop.Clocks.StageWaitFraction:P1} with it; prefetch {Loader.Prefetch})");

    /// <summary>One epoch from <paramref name="firstBatch"/>: its batches from the stage's prefetcher, a step each.</summary>
    private void RunEpoch(StageLoop loop, BatchPrefetcher batches, int epoch, int firstBatch)
    {
        trainingStep.OnEpochStart(epoch);
        for (int batch = firstBatch; batch < loop.PerEpoch && loop.Step < loop.Total; batch++)
        {
            OptimizerFactory.SetLearningRate(loop.Optimizer, loop.Schedule.At(loop.Step));
            using (var scope = NewDisposeScope())
            {
                loop.Clocks.WaitStarted();
                using var loaded = batches.Next();
                loop.Clocks.WaitEnded();
                var input = Batch(loaded.Samples, tensor(loaded.Indices), loop.LabelToRow, loop.Step, epoch);
                loop.Clocks.StepStarted();
                RunStep(loop.Optimizer, input, loop.Step + 1);
                loop.Clocks.StepEnded(spec.BatchSize);
            }

            loop.Step++;
            trainingStep.OnStepEnd(new CompatibilityStepInfo(loop.Step, epoch, loop.Total));
            AfterStep(loop, epoch, batch);
        }
    }

    /// <summary>After a step: the finiteness check, logging, progress, checkpoints, and a stop when asked.</summary>
    private void AfterStep(StageLoop loop, int epoch, int batch)
    {
        long step = loop.Step;
        bool lastOfEpoch = batch == loop.PerEpoch - 1;
        bool logging = step % spec.LogEvery == 0 || step == loop.Total;

        // On the CPU reading the step's finiteness flag costs nothing, so a NaN stops the run at its own step; on a
        // GPU it is read where the loop reads the device anyway (logging) and before every checkpoint.
        if (device.type == DeviceType.CPU || logging)
        {
            ThrowIfNonFinite(step, weightsToo: logging);
        }

        if (logging)
        {
            LogTraining(step - loop.SumsSince, step, loop.Schedule.At(step - 1), loop.Clocks.CloseWindow());
            loop.SumsSince = step;
        }

        loop.Progress.Update(step, double.IsNaN(LastLoss) ? "loss -" : $"loss {LastLoss:F3}", loop.Clocks.StageRate(step - loop.StartStep, spec.BatchSize));
        var next = lastOfEpoch ? new TrainingPosition(epoch + 1, 0, step) : new TrainingPosition(epoch, batch + 1, step);
        if (step % checkpointEvery == 0 || lastOfEpoch || step == loop.Total)
        {
            SaveCheckpoint(next, loop.Optimizer, loop.SumsSince);
        }

        if (cancel.IsCancellationRequested)
        {
            SaveCheckpoint(next, loop.Optimizer, loop.SumsSince);
            throw new OperationCanceledException($"{stage} interrupted at step {step}; run the same command again to resume");
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

    private void LogTraining(long steps, long step, double rate, WindowFigures clocks)
    {
        var stepMetrics = trainingStep.TakeMetrics(steps);
        LastLoss = stepMetrics.Count > 0 ? stepMetrics[0].Value : double.NaN;
        var values = stepMetrics.Select(m => ($"{stage}.{m.Name}", m.Value)).ToList();
        values.Add(($"{stage}.lr", rate));
        values.Add(($"{stage}.images_per_second", clocks.Throughput));
        values.Add(($"{stage}.loop_overhead", clocks.LoopShare));
        values.Add(($"{stage}.data.wait_fraction", clocks.WaitFraction));
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
        catch (Exception e) when (OutOfDeviceMemoryException.IsOutOfMemory(e))
        {
            throw new OutOfDeviceMemoryException(stage, step, spec.BatchSize, device.ToString(), lastCheckpoint, e);
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
