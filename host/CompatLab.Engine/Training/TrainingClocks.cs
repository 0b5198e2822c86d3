using System.Diagnostics;

namespace CompatLab.Engine.Training;

/// <summary>
/// The clocks of a stage's loop: the logging window's throughput, the share of the window spent outside the training
/// step itself (batch loading, schedule, logging, progress, checkpoints: the pipeline's own overhead, measured rather
/// than guessed), the share spent waiting for the next batch (the data wait: the loader not keeping up), and the
/// whole stage's rate and data wait for the progress and summary lines. The stage's first wait is also kept apart:
/// no step can hide the first batch's load, and in a process's first stage it carries the loading code's start-up
/// (compilation, decoder set-up), so over a short stage it says more about start-up than about the loader's pace.
/// </summary>
internal sealed class TrainingClocks
{
    private readonly Stopwatch window = Stopwatch.StartNew();
    private readonly Stopwatch inStep = new();
    private readonly Stopwatch waiting = new();
    private readonly Stopwatch stage = Stopwatch.StartNew();
    private readonly Stopwatch stageWaiting = new();
    private long imagesInWindow;
    private bool waited;

    public void WaitStarted()
    {
        waiting.Start();
        stageWaiting.Start();
    }

    public void WaitEnded()
    {
        waiting.Stop();
        stageWaiting.Stop();
        if (!waited)
        {
            FirstWait = stageWaiting.Elapsed;
            waited = true;
        }
    }

    /// <summary>How long this attempt waited for its first batch.</summary>
    public TimeSpan FirstWait { get; private set; }

    public void StepStarted() => inStep.Start();

    public void StepEnded(long images)
    {
        inStep.Stop();
        imagesInWindow += images;
    }

    /// <summary>
    /// Images per second, the loop's share and the data wait's share of the window now ending; the next window starts
    /// now, so the logging that follows is charged to it.
    /// </summary>
    public WindowFigures CloseWindow()
    {
        double seconds = Math.Max(1e-9, window.Elapsed.TotalSeconds);
        var figures = new WindowFigures(
            imagesInWindow / seconds,
            Math.Clamp(1 - (inStep.Elapsed.TotalSeconds / seconds), 0, 1),
            Math.Clamp(waiting.Elapsed.TotalSeconds / seconds, 0, 1));
        imagesInWindow = 0;
        inStep.Reset();
        waiting.Reset();
        window.Restart();
        return figures;
    }

    /// <summary>Images per second over the stage so far (this attempt's steps only).</summary>
    public double StageRate(long steps, int batchSize) => steps * (double)batchSize / Math.Max(1e-9, stage.Elapsed.TotalSeconds);

    /// <summary>The share of this attempt's time so far spent waiting for batches, in [0, 1].</summary>
    public double StageWaitFraction => Math.Clamp(stageWaiting.Elapsed.TotalSeconds / Math.Max(1e-9, stage.Elapsed.TotalSeconds), 0, 1);

    /// <summary>The same after the first batch: the waits after it over the time after it, in [0, 1].</summary>
    public double SteadyWaitFraction =>
        Math.Clamp((stageWaiting.Elapsed - FirstWait).TotalSeconds / Math.Max(1e-9, (stage.Elapsed - FirstWait).TotalSeconds), 0, 1);

    /// <summary>This attempt's time so far.</summary>
    public TimeSpan StageTime => stage.Elapsed;
}

/// <summary>A logging window's clocks: images per second, the loop's overhead share and the data wait's share of its wall time.</summary>
internal sealed record WindowFigures(double Throughput, double LoopShare, double WaitFraction);
