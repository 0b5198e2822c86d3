namespace CompatLab.Testing;

/// <summary>The outcome of one conformance check: its name, whether it passed, and why not.</summary>
public sealed record CheckResult(string Check, bool Passed, string Message)
{
    public override string ToString() => Passed ? $"pass  {Check}" : $"FAIL  {Check}: {Message}";
}
