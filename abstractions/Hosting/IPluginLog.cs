namespace CompatLab.Abstractions.Hosting;

/// <summary>
/// The run's log as a plugin sees it: messages to the console and metrics to every tracker of the run. A plugin
/// takes it in its constructor; outside a run (e.g. `compatlab plugins`) the host gives one that writes messages only.
/// </summary>
public interface IPluginLog : ITelemetrySink
{
    void Info(string message);

    void Warn(string message);

    void Metric(string key, double value, long step);
}
