namespace CompatLab.Abstractions.Plugins;

/// <summary>Maps plugin kinds to the contract interface each must implement and to its name in messages.</summary>
public static class PluginKinds
{
    public static Type ContractOf(PluginKind kind) => kind switch
    {
        PluginKind.Backbone => typeof(Models.IBackboneFactory),
        PluginKind.Dataset => typeof(Data.IDatasetProvider),
        PluginKind.CompatibilityLoss => typeof(Losses.ICompatibilityLoss),
        PluginKind.GradientIntegrator => typeof(Training.IGradientIntegrator),
        PluginKind.PruningCriterion => typeof(Training.IPruningCriterion),
        PluginKind.Tracker => typeof(Tracking.IExperimentTracker),
        PluginKind.Protocol => typeof(Protocols.IExperimentProtocol),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static string DisplayName(PluginKind kind) => kind switch
    {
        PluginKind.Backbone => "backbone",
        PluginKind.Dataset => "dataset",
        PluginKind.CompatibilityLoss => "loss",
        PluginKind.GradientIntegrator => "integrator",
        PluginKind.PruningCriterion => "pruning",
        PluginKind.Tracker => "tracker",
        PluginKind.Protocol => "protocol",
        _ => kind.ToString(),
    };
}
