using CompatLab.Abstractions.Plugins;
using CompatLab.Engine.Configuration;
using CompatLab.Engine.Plugins;

namespace CompatLab.Engine.Runs;

/// <summary>
/// The plugins an experiment names, each bound to its options, and which configuration section each came from
/// (so the resolved configuration shows every plugin's full options). Problems go to the factory's binder; the
/// values are only read after it has none.
/// </summary>
internal sealed class ExperimentPlugins
{
    private ExperimentPlugins(ExperimentSpec spec, PluginFactory factory)
    {
        Dataset = factory.Bind(PluginKind.Dataset, spec.Data.Dataset, "data:dataset")!;
        Backbone = factory.Bind(PluginKind.Backbone, spec.Model.Backbone, "model:backbone")!;
        NewBackbone = string.IsNullOrEmpty(spec.New.Backbone.Type) ? Backbone : factory.Bind(PluginKind.Backbone, spec.New.Backbone, "new:backbone")!;
        Loss = string.IsNullOrEmpty(spec.New.Loss.Type) ? null : factory.Bind(PluginKind.CompatibilityLoss, spec.New.Loss, "new:loss");
        Integrator = spec.Prunnet is null ? null : factory.Bind(PluginKind.GradientIntegrator, spec.Prunnet.Integrator, "prunnet:integrator");
        var evaluation = spec.Prunnet is null ? null : spec.Prunnet.Evaluation ?? DefaultsLayer.Experiment.Bind<PrunNetEvaluationSpec>(ExperimentResolver.PrunNetEvaluationKey);
        Criteria = evaluation is null
            ? []
            : evaluation.Criteria.Select((c, i) => factory.Bind(PluginKind.PruningCriterion, c.Criterion, $"prunnet:evaluation:criteria:{i}:criterion")!).ToList();
        Trackers = spec.Tracking.Trackers.Select((t, i) => factory.Bind(PluginKind.Tracker, t, $"tracking:trackers:{i}")!).ToList();
        BySection = Sections(spec);
    }

    public BoundPlugin Dataset { get; }

    public BoundPlugin Backbone { get; }

    public BoundPlugin NewBackbone { get; }

    public BoundPlugin? Loss { get; }

    public BoundPlugin? Integrator { get; }

    public IReadOnlyList<BoundPlugin> Criteria { get; }

    public IReadOnlyList<BoundPlugin> Trackers { get; }

    /// <summary>Each bound plugin by the configuration section that named it (by reference: two sections may name the same plugin).</summary>
    public IReadOnlyDictionary<PluginRef, BoundPlugin> BySection { get; }

    /// <summary>The plugins whose code can change a result (not the trackers): their assemblies are part of the run's identity.</summary>
    public IEnumerable<BoundPlugin> ResultChanging =>
        new[] { Dataset, Backbone, NewBackbone, Loss, Integrator }.Concat(Criteria).OfType<BoundPlugin>();

    public static ExperimentPlugins Bind(ExperimentSpec spec, PluginFactory factory) => new(spec, factory);

    private Dictionary<PluginRef, BoundPlugin> Sections(ExperimentSpec spec)
    {
        var bound = new Dictionary<PluginRef, BoundPlugin>(ReferenceEqualityComparer.Instance)
        {
            [spec.Data.Dataset] = Dataset,
            [spec.Model.Backbone] = Backbone,
        };
        void Add(PluginRef section, BoundPlugin? plugin)
        {
            if (plugin is not null)
            {
                bound[section] = plugin;
            }
        }

        Add(spec.New.Loss, Loss);
        if (spec.Prunnet is not null)
        {
            Add(spec.Prunnet.Integrator, Integrator);
        }

        if (spec.Prunnet?.Evaluation is { } given)
        {
            for (int i = 0; i < Criteria.Count; i++)
            {
                Add(given.Criteria[i].Criterion, Criteria[i]);
            }
        }

        if (!string.IsNullOrEmpty(spec.New.Backbone.Type))
        {
            Add(spec.New.Backbone, NewBackbone);
        }

        for (int i = 0; i < Trackers.Count; i++)
        {
            Add(spec.Tracking.Trackers[i], Trackers[i]);
        }

        return bound;
    }
}
