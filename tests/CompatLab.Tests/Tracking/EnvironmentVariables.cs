namespace CompatLab.Tests.Tracking;

/// <summary>Sets process environment variables for a test and puts the old values back afterwards.</summary>
internal sealed class EnvironmentVariables : IDisposable
{
    private readonly List<(string Name, string? Old)> saved = new();

    public EnvironmentVariables(params (string Name, string? Value)[] values)
    {
        foreach (var (name, value) in values)
        {
            saved.Add((name, Environment.GetEnvironmentVariable(name)));
            Environment.SetEnvironmentVariable(name, value);
        }
    }

    public void Dispose()
    {
        foreach (var (name, old) in saved)
        {
            Environment.SetEnvironmentVariable(name, old);
        }
    }
}
