using CompatLab.Abstractions.Losses;
using CompatLab.Plugins.Losses.Prototypes;
using CompatLab.Sdk.Losses;
using CompatLab.Sdk.Prototypes;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Losses;

/// <summary>
/// Alignment with pseudo-old prototypes, <c>L_comp = CE(s * cos(phi_n(x), p_c), y)</c>, <c>p_c = norm(o_c + delta_c)</c>.
/// Every batch feeds the new-prototype average (and the feature bank, if the loss keeps one); every R steps a
/// subclass recomputes delta from them. With delta = 0 this is exactly bct-proto.
/// </summary>
public abstract class PrototypePerturbationLoss : CompatibilityLoss
{
    private readonly PrototypePerturbationOptions options;
    private readonly RefreshSchedule schedule;
    private PseudoOldPrototypes? prototypes;
    private ClassMeanAverage? newPrototypes;
    private FeatureBank? bank;

    protected PrototypePerturbationLoss(string name, PrototypePerturbationOptions options)
        : base(name, options)
    {
        this.options = options;
        schedule = new RefreshSchedule(options.RefreshInterval);
    }

    protected override void OnPrepare(CompatibilityContext context)
    {
        ReleaseState();
        using var scope = NewDisposeScope();
        prototypes = new PseudoOldPrototypes(context.OldClassMeans().detach().to(context.Device), options.Scale);
        newPrototypes = new ClassMeanAverage(prototypes.ClassCount, prototypes.Width, options.Momentum, context.Device);
        bank = CreateBank(prototypes.Width, context.Device);
    }

    protected override Tensor Loss(CompatibilityBatch batch)
    {
        PseudoOldPrototypes pseudo = Prepared();
        Tensor fitted = EmbeddingWidth.Fit(batch.NewEmbeddings, pseudo.Width);
        Tensor old = PairedEmbeddings.Old(batch, Name);
        using (no_grad())
        {
            Tensor observed = fitted.detach();
            newPrototypes!.Update(observed, batch.Labels);
            bank?.Push(old, observed, batch.Labels);
        }

        return nn.functional.cross_entropy(pseudo.Classifier.Logits(fitted), batch.Labels);
    }

    public override void OnStepEnd(CompatibilityStepInfo step)
    {
        PseudoOldPrototypes pseudo = Prepared();
        if (!schedule.IsDue(step.Step))
        {
            return;
        }

        using var scope = NewDisposeScope();
        var inputs = new PerturbationInputs(pseudo.Old, pseudo.Delta, newPrototypes!.Means, newPrototypes.Seen, bank);
        pseudo.SetDelta(NextPerturbation(inputs, step.Step));
        PerturbationTelemetry.Report(Telemetry, pseudo, options.Eps, step.Step);
    }

    public override IReadOnlyDictionary<string, Tensor> SaveState()
    {
        PseudoOldPrototypes pseudo = Prepared();
        var snapshot = new Dictionary<string, Tensor>();
        pseudo.SaveTo(snapshot);
        newPrototypes!.SaveTo(snapshot);
        bank?.SaveTo(snapshot);
        return Keep(snapshot);
    }

    public override void LoadState(IReadOnlyDictionary<string, Tensor> state)
    {
        PseudoOldPrototypes pseudo = Prepared();
        newPrototypes!.LoadFrom(state, Name);
        bank?.LoadFrom(state, Name);
        pseudo.LoadFrom(state, Name);
    }

    protected override void Release() => ReleaseState();

    /// <summary>The new perturbation, within eps; runs in the refresh's dispose scope, under no gradient tape.</summary>
    protected abstract Tensor NextPerturbation(PerturbationInputs inputs, long step);

    /// <summary>The feature bank the refresh needs, or null (the default) when it needs none.</summary>
    protected virtual FeatureBank? CreateBank(long width, Device device) => null;

    /// <summary>Reports a refresh statistic of the subclass's own under this loss's name.</summary>
    protected void Report(string key, double value, long step) => Telemetry.Report(key, value, step);

    private PseudoOldPrototypes Prepared() =>
        prototypes ?? throw new InvalidOperationException($"{Name}: Prepare must run before Compute, refreshes or state handling.");

    private void ReleaseState()
    {
        prototypes?.Dispose();
        newPrototypes?.Dispose();
        bank?.Dispose();
        prototypes = null;
        newPrototypes = null;
        bank = null;
    }
}
