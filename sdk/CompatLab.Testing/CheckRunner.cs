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

    public void Skip(string check, string reason) => results.Add(new CheckResult(check, true, reason) { Skipped = true });

    /// <summary>Runs a device check on the settings' second device, or records a skip when this machine has none.</summary>
    public void RunOnDevice(ConformanceSettings settings, Action<TorchSharp.torch.Device> body)
    {
        if (settings.CheckedDevice is { } device)
        {
            Run($"follows the device ({device.type})", () => body(device));
        }
        else
        {
            Skip("follows the device", "no second device here (no CUDA); set ConformanceSettings.Device to check on one.");
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
