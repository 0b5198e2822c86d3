using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CompatLab.Abstractions.Plugins;
using CompatLab.Engine.Configuration;
using CompatLab.Engine.Data;
using CompatLab.Engine.Plugins;
using CompatLab.Engine.Pruning;
using CompatLab.Engine.Reproducibility;
using CompatLab.Engine.Training;
using Microsoft.Extensions.Configuration;
using TorchSharp;

namespace CompatLab.Engine.Runs;

/// <summary>
/// Turns an experiment's merged configuration into a <see cref="ResolvedExperiment"/>: strict binding, plugin
/// look-up and option validation, each option record's own range checks. Every problem is collected and reported at once.
/// </summary>
public sealed class ExperimentResolver
{
    /// <summary>Where the defaults of an absent prunnet.evaluation section are read.</summary>
    internal static readonly string PrunNetEvaluationKey = $"{ConfigBinder.CamelCase(nameof(ExperimentSpec.Prunnet))}:{ConfigBinder.CamelCase(nameof(PrunNetSpec.Evaluation))}";

    private static readonly string[] ResultNeutralKeys = { "name", "output", "plugins", "tracking", "checkpoints" };
    private readonly PluginCatalog catalog;

    public ExperimentResolver(PluginCatalog catalog)
    {
        this.catalog = catalog;
    }

    /// <summary>Binds the spec alone (no plugins), e.g. to learn the plugin directories before loading any.</summary>
    /// <param name="strict">False: return what binds and leave the problems to <see cref="Resolve"/>, which reports them
    /// together with the plugins' own (so a file's problems are all reported at once).</param>
    public static ExperimentSpec BindSpec(JsonObject content, ConfigProvenance provenance, IEnumerable<string> sets, IReadOnlyDictionary<string, string>? environment, bool strict = true)
    {
        var root = ConfigurationAssembler.Assemble(content, provenance, sets, environment, DefaultsLayer.Experiment);
        var binder = new ConfigBinder(provenance);
        var spec = binder.Bind<ExperimentSpec>(root);
        if (strict)
        {
            binder.ThrowIfProblems();
        }

        return spec;
    }

    public ResolvedExperiment Resolve(JsonObject content, ConfigProvenance provenance, IEnumerable<string> sets, IReadOnlyDictionary<string, string>? environment, string label)
    {
        IConfiguration root = ConfigurationAssembler.Assemble(content, provenance, sets, environment, DefaultsLayer.Experiment);
        var binder = new ConfigBinder(provenance);
        var spec = binder.Bind<ExperimentSpec>(root);
        JsonKindCheck.Check(content, typeof(ExperimentSpec), provenance, binder);
        SpecValidation.Validate(spec, binder);
        RuntimeChecks.Check(spec, binder);

        var factory = new PluginFactory(catalog, binder);
        var plugins = ExperimentPlugins.Bind(spec, factory);
        var protocol = ProtocolChoice.Bind(spec, root, factory, binder, catalog);
        binder.ThrowIfProblems();

        var resolved = (JsonObject)SpecJson.From(spec, p => plugins.BySection.TryGetValue(p, out var b) ? b.Options : null)!;

        // A PrunNet run trains no old model, so the old stage's settings cannot change its result.
        var neutral = spec.Prunnet is null ? ResultNeutralKeys : ResultNeutralKeys.Append("old");
        var hashed = WithoutLoader(resolved);
        // The protocol chooses every stage's data, so its assembly is part of each key, like the other plugins'.
        string contentHash = Hash(Without(hashed, neutral), plugins.ResultChanging.Append(protocol!));
        var oldPart = new JsonObject
        {
            ["seed"] = spec.Seed,
            ["device"] = spec.Device,
            ["threads"] = spec.Threads,
            ["data"] = hashed["data"]!.DeepClone(),
            ["model"] = resolved["model"]!.DeepClone(),
            ["old"] = resolved["old"]!.DeepClone(),
        };
        string oldKey = Hash(oldPart, new[] { plugins.Dataset, plugins.Backbone, protocol! });
        var prunNet = spec.Prunnet is null ? null : ResolvePrunNet(spec.Prunnet, plugins, PrunNetModelKey(hashed, neutral, new[] { plugins.Dataset, plugins.Backbone, plugins.NewBackbone, plugins.Integrator!, protocol! }));
        return new ResolvedExperiment(spec, label, plugins.Dataset, plugins.Backbone, plugins.NewBackbone, plugins.Loss, plugins.Trackers, resolved, contentHash, oldKey, prunNet) { Protocol = protocol! };
    }

    private static ResolvedPrunNet ResolvePrunNet(PrunNetSpec prunNet, ExperimentPlugins plugins, string modelKey)
    {
        var evaluation = prunNet.Evaluation ?? DefaultsLayer.Experiment.Bind<PrunNetEvaluationSpec>(PrunNetEvaluationKey);
        return new ResolvedPrunNet(
            prunNet.Capacities.ToList(),
            plugins.Integrator!,
            prunNet.GradClipNorm,
            new ResolvedPrunNetEvaluation(
                evaluation.Capacities.ToList(),
                evaluation.RecalibrationBatches,
                evaluation.Criteria.Select((c, i) => new PruningEvaluation(plugins.Criteria[i], PruningScopeNames.Parse(c.Scope, "scope"))).ToList()),
            modelKey);
    }

    /// <summary>
    /// The trained PrunNet model's key: the content hash without what only the evaluation reads (the retrieval
    /// settings and prunnet.evaluation), so a run that changes only its evaluation reuses the trained network.
    /// </summary>
    private static string PrunNetModelKey(JsonObject resolved, IEnumerable<string> neutral, IEnumerable<BoundPlugin> plugins)
    {
        var training = Without(resolved, neutral.Append("evaluation"));
        ((JsonObject)training[ConfigBinder.CamelCase(nameof(ExperimentSpec.Prunnet))]!).Remove("evaluation");
        return Hash(training, plugins);
    }

    /// <summary>The resolved config without data.loader: how batches are loaded never changes a result, so it must not change a key.</summary>
    private static JsonObject WithoutLoader(JsonObject resolved)
    {
        var copy = (JsonObject)resolved.DeepClone();
        (copy["data"] as JsonObject)?.Remove("loader");
        return copy;
    }

    private static JsonObject Without(JsonObject source, IEnumerable<string> keys)
    {
        var copy = (JsonObject)source.DeepClone();
        foreach (string key in keys)
        {
            copy.Remove(key);
        }

        return copy;
    }

    private static string Hash(JsonObject content, IEnumerable<BoundPlugin> plugins)
    {
        var text = PluginIdentity.AppendTo(new StringBuilder(content.ToJsonString()), plugins);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..12];
    }
}
