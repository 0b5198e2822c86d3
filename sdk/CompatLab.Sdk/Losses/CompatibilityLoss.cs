using CompatLab.Abstractions.Losses;
using CompatLab.Abstractions.Plugins;
using CompatLab.Sdk.Options;
using CompatLab.Sdk.State;
using CompatLab.Sdk.Telemetry;
using static TorchSharp.torch;

namespace CompatLab.Sdk.Losses;

/// <summary>
/// The bookkeeping every compatibility loss repeats, so a simple loss writes only its formula in <see cref="Loss"/>:
/// options checked on construction, the context kept from <see cref="Prepare"/>, each batch computed in its own
/// dispose scope (only the returned scalar survives it), telemetry under the plugin's name. By default the loss asks
/// for the old model's embeddings; override <see cref="NeedsOldEmbeddings"/> when it does not need them.
/// </summary>
public abstract class CompatibilityLoss : ICompatibilityLoss
{
    private readonly StateSnapshots snapshots = new();
    private CompatibilityContext? context;

    /// <param name="name">The plugin's name, as in its <see cref="CompatLabPluginAttribute"/>; messages and metrics use it.</param>
    /// <param name="options">Checked now, so a loss built outside the host refuses bad values too; null when it has none.</param>
    protected CompatibilityLoss(string name, IValidatableOptions? options = null)
    {
        Name = name;
        if (options is not null)
        {
            OptionsGuard.Checked(options, "loss", name);
        }

        Telemetry = PluginTelemetry.None(name);
    }

    public virtual bool NeedsOldEmbeddings => true;

    /// <summary>The plugin's name.</summary>
    protected string Name { get; }

    /// <summary>What <see cref="Prepare"/> was given; throws before then.</summary>
    protected CompatibilityContext Context =>
        context ?? throw new InvalidOperationException($"loss '{Name}': Prepare must run before Compute.");

    /// <summary>Reports under <c>{Name}/{key}</c> to the run's metrics (nowhere before <see cref="Prepare"/>).</summary>
    protected PluginTelemetry Telemetry { get; private set; }

    public void Prepare(CompatibilityContext context)
    {
        this.context = context;
        Telemetry = new PluginTelemetry(context.Telemetry, Name);
        OnPrepare(context);
    }

    public Tensor Compute(CompatibilityBatch batch)
    {
        using var scope = NewDisposeScope();
        return Loss(batch).MoveToOuterDisposeScope();
    }

    /// <summary>Called before each epoch (also on resume). Does nothing by default.</summary>
    public virtual void OnEpochStart(int epoch)
    {
    }

    /// <summary>Called after each optimiser step, outside any gradient tape. Does nothing by default.</summary>
    public virtual void OnStepEnd(CompatibilityStepInfo step)
    {
    }

    /// <summary>State for checkpoints; none by default. Hand out snapshots through <see cref="Keep"/>.</summary>
    public virtual IReadOnlyDictionary<string, Tensor> SaveState() => new Dictionary<string, Tensor>();

    /// <summary>Restores what <see cref="SaveState"/> returned (see <see cref="LossState.Restore"/>).</summary>
    public virtual void LoadState(IReadOnlyDictionary<string, Tensor> state)
    {
    }

    public void Dispose()
    {
        Release();
        snapshots.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>The scalar L_comp of one batch. Tensors made here are disposed when it returns, except the result.</summary>
    protected abstract Tensor Loss(CompatibilityBatch batch);

    /// <summary>Builds what the loss keeps (prototypes, classifiers) once the old model is known. Does nothing by default.</summary>
    protected virtual void OnPrepare(CompatibilityContext context)
    {
    }

    /// <summary>Disposes what the loss keeps. Does nothing by default.</summary>
    protected virtual void Release()
    {
    }

    /// <summary>
    /// Takes ownership of a <see cref="SaveState"/> result: the host drops it without disposing, so the loss disposes
    /// each snapshot when it makes the next one or is itself disposed.
    /// </summary>
    protected IReadOnlyDictionary<string, Tensor> Keep(Dictionary<string, Tensor> snapshot) => snapshots.Keep(snapshot);

    /// <summary>cos(phi_n(x_i), phi_o(x_i)) of every sample [N] (see <see cref="PairedEmbeddings.Cosines"/>).</summary>
    protected Tensor PairedCosines(CompatibilityBatch batch) => PairedEmbeddings.Cosines(batch, Name);

    /// <summary>The normalised new and old embeddings side by side (see <see cref="PairedEmbeddings.Directions"/>).</summary>
    protected (Tensor New, Tensor Old) PairedDirections(CompatibilityBatch batch) => PairedEmbeddings.Directions(batch, Name);
}
