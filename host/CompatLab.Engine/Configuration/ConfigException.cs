using CompatLab.Abstractions;

namespace CompatLab.Engine.Configuration;

/// <summary>One or more problems in an experiment's configuration, each naming where the value came from and the key.</summary>
public sealed class ConfigException : CompatLabUserException
{
    public ConfigException(IReadOnlyList<string> problems)
        : base(problems.Count == 1 ? problems[0] : $"{problems.Count} problems in the configuration:\n  " + string.Join("\n  ", problems))
    {
        Problems = problems;
    }

    public IReadOnlyList<string> Problems { get; }
}
