using CompatLab.Abstractions;
using CompatLab.Abstractions.Plugins;

namespace CompatLab.Plugins.Losses;

/// <summary>Option checks shared by the losses, so each states its problems in the same words.</summary>
public static class OptionChecks
{
    /// <summary>The problem with a value that must be a positive finite number, or null when it is one.</summary>
    public static string? PositiveFinite(string option, double value) =>
        double.IsFinite(value) && value > 0 ? null : $"Option '{option}' must be a positive finite number; got {value}.";

    /// <summary>The problem with a value that must be a finite number of at least 0, or null when it is one.</summary>
    public static string? NonNegativeFinite(string option, double value) =>
        double.IsFinite(value) && value >= 0 ? null : $"Option '{option}' must be a finite number of at least 0; got {value}.";

    /// <summary>The problem with a count that must be at least <paramref name="minimum"/>, or null when it is.</summary>
    public static string? AtLeast(string option, long value, long minimum) =>
        value >= minimum ? null : $"Option '{option}' must be at least {minimum}; got {value}.";

    /// <summary>The problem with a value that must lie in [0, 1), or null when it does.</summary>
    public static string? Fraction(string option, double value) =>
        double.IsFinite(value) && value >= 0 && value < 1 ? null : $"Option '{option}' must be at least 0 and below 1; got {value}.";

    /// <summary>The problems among <paramref name="checks"/> (nulls are values that passed).</summary>
    public static IEnumerable<string> Problems(params string?[] checks) => checks.OfType<string>();

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
