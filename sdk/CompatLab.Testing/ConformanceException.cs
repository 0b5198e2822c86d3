namespace CompatLab.Testing;

/// <summary>Thrown by <see cref="ConformanceReport.ThrowIfFailed"/>; the message lists every failed check.</summary>
public sealed class ConformanceException : Exception
{
    public ConformanceException(ConformanceReport report)
        : base(report.ToString())
    {
        Report = report;
    }

    public ConformanceReport Report { get; }
}
