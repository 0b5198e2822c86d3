namespace CompatLab.Testing;

/// <summary>
/// The outcome of one conformance check: its name, whether it passed, and why not. A skipped check could not run
/// here (for example the device check on a machine with one device) and counts as passed; its message says why.
/// </summary>
public sealed record CheckResult(string Check, bool Passed, string Message)
{
    public bool Skipped { get; init; }

    public override string ToString() => Skipped ? $"skip  {Check}: {Message}" : Passed ? $"pass  {Check}" : $"FAIL  {Check}: {Message}";
}
