using System.ComponentModel;

namespace CompatLab.Engine.Configuration;

public sealed class TrackingSpec
{
    [Description("Tracker plugins that receive every run's params, metrics and artifacts (the run folder always does). Default from defaults.json (mlflow: the file store ./mlruns, or MLFLOW_TRACKING_URI); [] turns tracking off.")]
    public List<PluginRef> Trackers { get; set; } = new();
}
