using CompatLab.Engine.Console;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CompatLab.Engine.Training;

/// <summary>What one attempt at a stage carries from step to step: its optimiser and schedule, its length, where it is, and its clocks.</summary>
internal sealed class StageLoop(OptimizerHelper optimizer, LearningRateSchedule schedule, Tensor labelToRow, long perEpoch, long total, long startStep, long windowStart, ProgressReporter progress)
{
    public OptimizerHelper Optimizer { get; } = optimizer;

    public LearningRateSchedule Schedule { get; } = schedule;

    /// <summary>Class id -> classifier row, on the device.</summary>
    public Tensor LabelToRow { get; } = labelToRow;

    public long PerEpoch { get; } = perEpoch;

    public long Total { get; } = total;

    /// <summary>The step this attempt started from (0, or a checkpoint's).</summary>
    public long StartStep { get; } = startStep;

    /// <summary>Steps completed.</summary>
    public long Step { get; set; } = startStep;

    /// <summary>The step that opened the current logging window.</summary>
    public long SumsSince { get; set; } = windowStart;

    public ProgressReporter Progress { get; } = progress;

    public TrainingClocks Clocks { get; } = new();
}
