namespace CompatLab.Abstractions.Plugins;

/// <summary>The families of plugins the host composes. The config name of each is in <see cref="PluginKinds"/>.</summary>
public enum PluginKind
{
    Backbone,
    Dataset,
    CompatibilityLoss,
    GradientIntegrator,
    PruningCriterion,
    Tracker,
    Protocol,
}
