using CompatLab.Abstractions;
using CompatLab.Abstractions.Plugins;

namespace CompatLab.Testing;

/// <summary>
/// Every bad option value must be refused, by the options' Validate() or by the constructor, with a message that
/// names the option, so a user can find the key in their experiment file.
/// </summary>
internal static class BadOptionsCheck
{
    public const string Name = "bad options are refused naming the option";

    public static void Run(CheckRunner runner, PluginFactory factory, ConformanceSettings settings, Action<IReadOnlyDictionary<string, object?>> construct)
    {
        runner.Run(Name, () =>
        {
            var candidates = Candidates(factory, settings).ToList();
            foreach (var (option, value) in candidates)
            {
                string? message = Refusal(factory, option, value, construct);
                ConformanceViolation.Unless(message is not null, $"option '{option}' = {Show(value)} was accepted; it must be refused.");
                ConformanceViolation.Unless(
                    message!.Contains(option, StringComparison.OrdinalIgnoreCase),
                    $"option '{option}' = {Show(value)} was refused, but the message does not name '{option}': {message}");
            }
        });
    }

    /// <summary>The caller's bad values, plus NaN for every floating-point option (never a meaningful setting).</summary>
    private static IEnumerable<(string Option, object? Value)> Candidates(PluginFactory factory, ConformanceSettings settings)
    {
        foreach (var (option, value) in settings.BadOptions)
        {
            yield return (factory.OptionProperty(option).Name, value);
        }

        if (factory.Attribute.Options is null)
        {
            yield break;
        }

        foreach (var property in factory.Attribute.Options.GetProperties().Where(p => p.CanWrite && p.GetSetMethod() is not null))
        {
            Type type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if ((type == typeof(double) || type == typeof(float)) && !settings.BadOptions.Keys.Contains(property.Name, StringComparer.OrdinalIgnoreCase))
            {
                yield return (property.Name, double.NaN);
            }
        }
    }

    /// <summary>The refusal's message, or null when the value was accepted.</summary>
    private static string? Refusal(PluginFactory factory, string option, object? value, Action<IReadOnlyDictionary<string, object?>> construct)
    {
        var overrides = new Dictionary<string, object?> { [option] = value };
        if (factory.NewOptions(overrides) is IValidatableOptions validatable && validatable.Validate().ToList() is { Count: > 0 } problems)
        {
            return string.Join(" ", problems);
        }

        try
        {
            construct(overrides);
            return null;
        }
        catch (CompatLabUserException refused)
        {
            return refused.Message;
        }
        catch (ArgumentException refused)
        {
            return refused.Message;
        }
    }

    private static string Show(object? value) => value switch
    {
        null => "null",
        string text => $"\"{text}\"",
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "?",
    };
}
