using CompatLab.Sdk.Telemetry;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Losses.Composition;

/// <summary>
/// Each term's value, summed on the device as batches pass and reported as the mean over the steps since the last
/// report, so watching the terms costs one device read per report rather than one per term and step.
/// </summary>
internal sealed class TermValues : IDisposable
{
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

    /// <summary>Adds one batch's term values [terms] (detached).</summary>
    public void Add(Tensor values)
    {
        using var noGrad = no_grad();
        Tensor wide = values.to(ScalarType.Float64);
        if (sums is null)
        {
            sums = wide.clone().DetachFromDisposeScope();
        }
        else
        {
            sums.add_(wide);
        }

        steps++;
    }

    /// <summary>Reports <c>{label}</c> = mean value when <paramref name="completedSteps"/> is a multiple of the interval.</summary>
    public void ReportIfDue(PluginTelemetry telemetry, long completedSteps, long totalSteps)
    {
        if (sums is null || steps == 0 || (completedSteps % every != 0 && completedSteps != totalSteps))
        {
            return;
        }

        double[] totals = sums.cpu().data<double>().ToArray();
        for (int k = 0; k < Labels.Count; k++)
        {
            telemetry.Report(Labels[k], totals[k] / steps, completedSteps);
        }

        sums.zero_();
        steps = 0;
    }

    public void Dispose()
    {
        sums?.Dispose();
        sums = null;
    }
}
