namespace CompatLab.Testing;

/// <summary>Every check the kit ran on one plugin. Inspect <see cref="Failures"/> or call <see cref="ThrowIfFailed"/>.</summary>
public sealed class ConformanceReport
{
    public ConformanceReport(string plugin, IReadOnlyList<CheckResult> results)
    {
        Plugin = plugin;
        Results = results;
    }

    /// <summary>The plugin's kind and name, e.g. "loss 'bct'".</summary>
    public string Plugin { get; }

    public IReadOnlyList<CheckResult> Results { get; }

    public IEnumerable<CheckResult> Failures => Results.Where(r => !r.Passed);

    public bool Passed => Results.Count > 0 && Results.All(r => r.Passed);

    /// <summary>Throws <see cref="ConformanceException"/> listing every failed check; returns the report otherwise.</summary>
    public ConformanceReport ThrowIfFailed() => Passed ? this : throw new ConformanceException(this);

    public override string ToString() =>
        $"{Plugin}: {(Passed ? "conforms" : "does NOT conform")}{Environment.NewLine}{string.Join(Environment.NewLine, Results)}";
}
