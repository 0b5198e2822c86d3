using CompatLab.Abstractions;

namespace CompatLab.Tests.Reference;

/// <summary>Keeps every telemetry report, so refresh statistics can be compared with the reference's.</summary>
internal sealed class RecordingTelemetry : ITelemetrySink
{
    public List<(string Key, double Value, long Step)> Reports { get; } = [];

    public void Report(string key, double value, long step) => Reports.Add((key, value, step));
}
