using CompatLab.Abstractions.Losses;
using CompatLab.Abstractions.Plugins;
using static TorchSharp.torch;

namespace CompatLab.Tests.Conformance;

/// <summary>Deliberately faulty plugins: each breaks one rule, so the kit's tests can see it caught.</summary>
public static class KitSamplePlugins
{
    public sealed class ScaleOptions
    {
        public double Scale { get; set; } = 1;

        public int Repeats { get; set; } = 1;
    }

    /// <summary>Correct, except that it accepts any option value.</summary>
    [CompatLabPlugin(PluginKind.CompatibilityLoss, "kit-trusting", Options = typeof(ScaleOptions))]
    public sealed class TrustingLoss(ScaleOptions options) : ICompatibilityLoss
    {
        public bool NeedsOldEmbeddings => true;

        public void Prepare(CompatibilityContext context)
        {
        }

        public Tensor Compute(CompatibilityBatch batch)
        {
            using var scope = NewDisposeScope();
            return batch.NewEmbeddings.sub(batch.OldEmbeddings!).pow(2).mean().mul(options.Scale).MoveToOuterDisposeScope();
        }

        public void Dispose()
        {
        }
    }

    /// <summary>Keeps a tensor from every batch outside any scope.</summary>
    [CompatLabPlugin(PluginKind.CompatibilityLoss, "kit-leaky")]
    public sealed class LeakyLoss : ICompatibilityLoss
    {
        private readonly List<Tensor> kept = [];

        public bool NeedsOldEmbeddings => false;

        public void Prepare(CompatibilityContext context)
        {
        }

        public Tensor Compute(CompatibilityBatch batch)
        {
            kept.Add(batch.NewEmbeddings.detach().clone().DetachFromDisposeScope());
            return batch.NewEmbeddings.pow(2).mean();
        }

        public void Dispose()
        {
        }
    }

    /// <summary>Adds nothing, without saying it is a baseline; and draws unseeded noise.</summary>
    [CompatLabPlugin(PluginKind.CompatibilityLoss, "kit-noise")]
    public sealed class NoiseLoss : ICompatibilityLoss
    {
        public bool NeedsOldEmbeddings => false;

        public void Prepare(CompatibilityContext context)
        {
        }

        public Tensor Compute(CompatibilityBatch batch) => rand([]).mul(0);

        public void Dispose()
        {
        }
    }

    /// <summary>A loss class someone forgot to mark as a plugin.</summary>
    public sealed class Unmarked
    {
    }
}
