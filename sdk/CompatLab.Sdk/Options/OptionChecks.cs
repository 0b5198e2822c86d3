namespace CompatLab.Sdk.Options;

/// <summary>
/// Checks for an options class's <c>Validate</c>, so every plugin states its problems in the same words. Each returns
/// the problem, or null when the value is fine; <see cref="Problems"/> keeps the non-null ones.
/// </summary>
public static class OptionChecks
{
    public static string? PositiveFinite(string option, double value) =>
        double.IsFinite(value) && value > 0 ? null : $"Option '{option}' must be a positive finite number; got {value}.";

    public static string? NonNegativeFinite(string option, double value) =>
        double.IsFinite(value) && value >= 0 ? null : $"Option '{option}' must be a finite number of at least 0; got {value}.";

    public static string? AtLeast(string option, long value, long minimum) =>
        value >= minimum ? null : $"Option '{option}' must be at least {minimum}; got {value}.";

    /// <summary>A value that must lie in [0, 1).</summary>
    public static string? Fraction(string option, double value) =>
        double.IsFinite(value) && value >= 0 && value < 1 ? null : $"Option '{option}' must be at least 0 and below 1; got {value}.";

    /// <summary>The problems among <paramref name="checks"/> (nulls are values that passed).</summary>
    public static IEnumerable<string> Problems(params string?[] checks) => checks.OfType<string>();
}
