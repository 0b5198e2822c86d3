using CompatLab.Abstractions;

namespace CompatLab.Sdk.Telemetry;

/// <summary>
/// A plugin's own numbers, reported under its name (<c>{plugin}/{key}</c>) so runs that use several plugins, or a
/// plugin inside another (the terms of <c>sum</c>), keep their metrics apart.
/// </summary>
public sealed class PluginTelemetry : ITelemetrySink
{
    private readonly ITelemetrySink sink;

    public PluginTelemetry(ITelemetrySink sink, string prefix)
    {
        this.sink = sink;
        Prefix = prefix;
    }

    /// <summary>Reports nowhere; what a plugin holds before the host has prepared it.</summary>
    public static PluginTelemetry None(string prefix) => new(NullTelemetrySink.Instance, prefix);

    public string Prefix { get; }

    public void Report(string key, double value, long step) => sink.Report(Key(key), value, step);

    /// <summary>The full metric name of <paramref name="key"/>.</summary>
    public string Key(string key) => $"{Prefix}/{key}";

    /// <summary>The same sink one level down: <c>{prefix}/{child}/{key}</c>.</summary>
    public PluginTelemetry Child(string child) => new(sink, Key(child));
}
