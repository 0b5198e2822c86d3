using CompatLab.Abstractions;
using CompatLab.Abstractions.Plugins;

namespace CompatLab.Plugins.Losses;

/// <summary>Option checks shared by the losses, so each states its problems in the same words.</summary>
public static class OptionChecks
{
    /// <summary>The problem with a value that must be a positive finite number, or null when it is one.</summary>
    public static string? PositiveFinite(string option, double value) =>
        double.IsFinite(value) && value > 0 ? null : $"Option '{option}' must be a positive finite number; got {value}.";

    /// <summary>Throws for the options' problems, so a loss built outside the host refuses bad values too.</summary>
    public static void ThrowIfInvalid(IValidatableOptions options, string plugin)
    {
        string[] problems = options.Validate().ToArray();
        if (problems.Length > 0)
        {
            throw new CompatLabUserException($"loss '{plugin}': {string.Join(" ", problems)}");
        }
    }
}
