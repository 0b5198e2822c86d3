using CompatLab.Abstractions.Hosting;
using CompatLab.Abstractions.Tracking;

namespace CompatLab.Engine.Tracking;

/// <summary>A run's voice: metrics and telemetry to its trackers, messages to standard error.</summary>
public sealed class RunLog : IPluginLog
{
    private readonly IExperimentTracker tracker;
    private readonly TextWriter messages;

    public RunLog(IExperimentTracker tracker, TextWriter messages)
    {
        this.tracker = tracker;
        this.messages = messages;
    }

    public IExperimentTracker Tracker => tracker;

    public TextWriter Messages => messages;

    public void Metric(string key, double value, long step) =>
        tracker.LogMetrics(new[] { new MetricPoint(key, value, step, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()) });

    public void Metrics(IEnumerable<(string Key, double Value)> values, long step)
    {
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        tracker.LogMetrics(values.Select(v => new MetricPoint(v.Key, v.Value, step, now)).ToList());
    }

    public void Report(string key, double value, long step) => Metric(key, value, step);

    public void Info(string message) => messages.WriteLine(message);

    public void Warn(string message) => messages.WriteLine("warning: " + message);
}
