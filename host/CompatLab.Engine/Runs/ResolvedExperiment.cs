using System.Text.Json.Nodes;
using CompatLab.Engine.Configuration;
using CompatLab.Engine.Plugins;

namespace CompatLab.Engine.Runs;

/// <summary>
/// An experiment ready to run: the bound spec, every plugin chosen and its options validated, the resolved
/// configuration (defaults filled in, secrets masked) and the content hashes that name its run and old model.
/// A PrunNet run has <see cref="PrunNet"/> and no compatibility <see cref="Loss"/>; every other run has a loss.
/// </summary>
public sealed record ResolvedExperiment(
    ExperimentSpec Spec,
    string Label,
    BoundPlugin Dataset,
    BoundPlugin Backbone,
    BoundPlugin NewBackbone,
    BoundPlugin? Loss,
    IReadOnlyList<BoundPlugin> Trackers,
    JsonObject Resolved,
    string ContentHash,
    string OldModelKey,
    ResolvedPrunNet? PrunNet = null)
{
    /// <summary>The protocol plugin that lays out and runs the stages (named by data.split.type, or by the prunnet section).</summary>
    public required BoundPlugin Protocol { get; init; }

    public IEnumerable<BoundPlugin> Plugins =>
        new[] { Protocol, Dataset, Backbone, NewBackbone, Loss, PrunNet?.Integrator }.OfType<BoundPlugin>().Concat(Trackers).DistinctBy(p => (p.Descriptor.Kind, p.Descriptor.Name));

    /// <summary>What trained the new model, as result tables name it: the loss, or &lt;protocol&gt;/&lt;integrator&gt; (prunnet/sum).</summary>
    public string Method => PrunNet is not null
        ? $"{Protocol.Descriptor.Name}/{PrunNet.Integrator.Descriptor.Name}"
        : Loss?.Descriptor.Name ?? string.Empty;

    /// <summary>The run's folder: &lt;output&gt;/&lt;name&gt;/&lt;label&gt;-&lt;hash&gt;.</summary>
    public string RunFolder => Path.Combine(Spec.Output, Spec.Name, $"{Label}-{ContentHash}");

    /// <summary>Where old models are cached so runs that share data, model and seed train it once.</summary>
    public string OldModelFolder => Path.Combine(Spec.Output, ".old-models", OldModelKey);

    /// <summary>Where a PrunNet run's trained network is kept, so runs that differ only in their evaluation train it once.</summary>
    public string? PrunNetModelFolder => PrunNet is null ? null : Path.Combine(Spec.Output, ".prunnet-models", PrunNet.ModelKey);
}
