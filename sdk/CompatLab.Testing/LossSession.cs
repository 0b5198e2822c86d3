using CompatLab.Abstractions.Losses;
using static TorchSharp.torch;

namespace CompatLab.Testing;

/// <summary>One loss prepared on a fixture and stepped as the host's trainer does: Compute inside the step's dispose scope, OnStepEnd after it.</summary>
internal sealed class LossSession : IDisposable
{
    private readonly LossFixture fixture;
    private readonly ICompatibilityLoss loss;
    private readonly long totalSteps;
    private long step;

    public LossSession(PluginFactory factory, ConformanceSettings settings, Device device, IReadOnlyDictionary<string, object?>? overrides = null)
    {
        fixture = new LossFixture(settings, device);
        loss = factory.Create<ICompatibilityLoss>(overrides);
        totalSteps = Math.Max(settings.LeakSteps, settings.RepeatSteps);
        loss.Prepare(fixture.Context());
        loss.OnEpochStart(0);
    }

    /// <summary>Computes one batch's loss and hands it, with the batch, to <paramref name="inspect"/> before the scope ends.</summary>
    public void Step(Action<CompatibilityBatch, Tensor>? inspect = null)
    {
        using (var scope = NewDisposeScope())
        {
            var batch = fixture.Batch(step, loss.NeedsOldEmbeddings);
            var value = loss.Compute(batch);
            inspect?.Invoke(batch, value);
        }

        step++;
        using (no_grad())
        {
            loss.OnStepEnd(new CompatibilityStepInfo(step, 0, totalSteps));
        }
    }

    /// <summary>Computes, back-propagates and returns the loss value of one batch.</summary>
    public double TrainStep()
    {
        double result = double.NaN;
        Step((batch, value) =>
        {
            if (value.requires_grad)
            {
                value.backward();
            }

            result = value.to(ScalarType.Float64).item<double>();
        });
        return result;
    }

    public void Dispose()
    {
        loss.Dispose();
        fixture.Dispose();
    }
}
