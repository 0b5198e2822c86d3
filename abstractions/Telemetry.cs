namespace CompatLab.Abstractions;

/// <summary>Where plugins send numbers that describe their own work (refresh statistics, conflict fractions).</summary>
public interface ITelemetrySink
{
    void Report(string key, double value, long step);
}

/// <summary>A sink that drops everything; handy in tests and in tools that do not track.</summary>
public sealed class NullTelemetrySink : ITelemetrySink
{
    public static NullTelemetrySink Instance { get; } = new();

    public void Report(string key, double value, long step)
    {
    }
}
