using CompatLab.Abstractions;

namespace CompatLab.Testing;

/// <summary>Runs named checks one after another, turning each into a pass or a failure without stopping the rest.</summary>
internal sealed class CheckRunner
{
    private readonly List<CheckResult> results = [];

    public IReadOnlyList<CheckResult> Results => results;

    public void Run(string check, Action body)
    {
        try
        {
            body();
            results.Add(new CheckResult(check, true, string.Empty));
        }
        catch (ConformanceViolation violation)
        {
            results.Add(new CheckResult(check, false, violation.Message));
        }
        catch (Exception error)
        {
            results.Add(new CheckResult(check, false, Describe(error)));
        }
    }

    public void Fail(string check, string message) => results.Add(new CheckResult(check, false, message));

    /// <summary>A plugin's exception as one line, unwrapping reflection's wrapper so the real cause shows.</summary>
    internal static string Describe(Exception error)
    {
        Exception inner = error is System.Reflection.TargetInvocationException { InnerException: { } cause } ? cause : error;
        string kind = inner is CompatLabUserException ? "refused" : $"threw {inner.GetType().Name}";
        return $"the plugin {kind}: {inner.Message}";
    }
}
