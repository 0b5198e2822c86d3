using CompatLab.Abstractions;
using CompatLab.Abstractions.Losses;
using static CompatLab.Tests.Losses.OldModels;
using static TorchSharp.torch;

namespace CompatLab.Tests.Losses;

/// <summary>Drives a loss the way the host's trainer does: Compute for a batch, then OnStepEnd with the completed step count.</summary>
internal static class PerturbationRun
{
    public static ICompatibilityLoss Prepared(string name, Dictionary<string, object> options, Tensor classMeans, long newWidth, ITelemetrySink? telemetry = null)
    {
        ICompatibilityLoss loss = LossPlugins.Create(name, options);
        loss.Prepare(ContextWithMeans(classMeans, newWidth, telemetry));
        return loss;
    }

    /// <summary>One training step numbered <paramref name="step"/> (1-based, as OnStepEnd counts): the loss value.</summary>
    public static double Step(ICompatibilityLoss loss, CompatibilityBatch batch, long step)
    {
        using var scope = NewDisposeScope();
        double value = loss.Compute(batch with { Step = step - 1 }).item<float>();
        loss.OnStepEnd(new CompatibilityStepInfo(step, Epoch: 0, TotalSteps: 1000));
        return value;
    }

    /// <summary>The current perturbation delta as doubles (from the loss's own checkpoint state).</summary>
    public static double[][] Delta(ICompatibilityLoss loss) => Batches.ToRows(loss.SaveState()["delta"]);
}
