using System.Diagnostics;

namespace CompatLab.Engine.Training;

/// <summary>
/// The clocks of a stage's loop: the logging window's throughput, the share of the window spent outside the training
/// step itself (batch loading, schedule, logging, progress, checkpoints: the pipeline's own overhead, measured rather
/// than guessed), and the whole stage's rate for the progress line.
/// </summary>
internal sealed class TrainingClocks
{
    private readonly Stopwatch window = Stopwatch.StartNew();
    private readonly Stopwatch inStep = new();
    private readonly Stopwatch stage = Stopwatch.StartNew();
    private long imagesInWindow;

    public void StepStarted() => inStep.Start();

    public void StepEnded(long images)
    {
        inStep.Stop();
        imagesInWindow += images;
    }

    /// <summary>Images per second and the loop's share of the window now ending; the next window starts now, so the logging that follows is charged to it.</summary>
    public (double Throughput, double LoopShare) CloseWindow()
    {
        double seconds = Math.Max(1e-9, window.Elapsed.TotalSeconds);
        double throughput = imagesInWindow / seconds;
        double loopShare = Math.Clamp(1 - (inStep.Elapsed.TotalSeconds / seconds), 0, 1);
        imagesInWindow = 0;
        inStep.Reset();
        window.Restart();
        return (throughput, loopShare);
    }

    /// <summary>Images per second over the stage so far (this attempt's steps only).</summary>
    public double StageRate(long steps, int batchSize) => steps * (double)batchSize / Math.Max(1e-9, stage.Elapsed.TotalSeconds);
}
