using CompatLab.Sdk.State;
using CompatLab.Sdk.Telemetry;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Losses.Composition;

/// <summary>
/// Each term's value, summed on the device as batches pass and reported as the mean over the steps since the last
/// report, so watching the terms costs one device read per report rather than one per term and step. The running
/// sums are checkpointed, so a resumed run reports the same numbers as an uninterrupted one.
/// </summary>
internal sealed class TermValues : IDisposable
{
    private const string SumsKey = "values/sums";
    private const string StepsKey = "values/steps";
    private readonly long every;
    private Tensor? sums;
    private long steps;

    public TermValues(IReadOnlyList<string> labels, long every)
    {
        Labels = labels;
        this.every = every;
    }

    /// <summary>The terms' metric names under the sum's own, one a term.</summary>
    public IReadOnlyList<string> Labels { get; }

    public void Prepare(Device device)
    {
        Dispose();
        sums = zeros(Labels.Count, dtype: ScalarType.Float64, device: device).DetachFromDisposeScope();
        steps = 0;
    }

    /// <summary>Adds one batch's term values [terms] (detached).</summary>
    public void Add(Tensor values)
    {
        using var noGrad = no_grad();
        Prepared().add_(values.to(ScalarType.Float64));
        steps++;
    }

    /// <summary>Reports <c>{label}</c> = mean value when <paramref name="completedSteps"/> is a multiple of the interval.</summary>
    public void ReportIfDue(PluginTelemetry telemetry, long completedSteps, long totalSteps)
    {
        if (steps == 0 || (completedSteps % every != 0 && completedSteps != totalSteps))
        {
            return;
        }

        using var scope = NewDisposeScope(); // the host copy below is a new tensor, even on the CPU
        double[] totals = Prepared().cpu().data<double>().ToArray();
        for (int k = 0; k < Labels.Count; k++)
        {
            telemetry.Report(Labels[k], totals[k] / steps, completedSteps);
        }

        Prepared().zero_();
        steps = 0;
    }

    public void SaveTo(IDictionary<string, Tensor> snapshot)
    {
        snapshot[SumsKey] = LossState.Snapshot(Prepared());
        using var count = tensor(new[] { steps });
        snapshot[StepsKey] = LossState.Snapshot(count);
    }

    public void LoadFrom(IReadOnlyDictionary<string, Tensor> state)
    {
        LossState.Restore(state, SumsKey, Prepared(), WeightedSum.PluginName);
        steps = LossState.Counters(state, StepsKey, 1, WeightedSum.PluginName)[0];
    }

    public void Dispose()
    {
        sums?.Dispose();
        sums = null;
    }

    private Tensor Prepared() =>
        sums ?? throw new InvalidOperationException($"loss '{WeightedSum.PluginName}': Prepare must run before Compute or state handling.");
}
