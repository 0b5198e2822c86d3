using System.Globalization;
using CompatLab.Abstractions;

namespace CompatLab.Cli;

/// <summary>
/// The <c>--name value</c> options of one hidden bench command (bench/CompatLab.Bench) or of <c>compatlab data</c>. Every option must be one the command knows, so a
/// misspelt option fails instead of silently running the default benchmark.
/// </summary>
public sealed class BenchOptions
{
    private readonly string _command;
    private readonly IReadOnlyDictionary<string, string> _given;

    public BenchOptions(string command, IReadOnlyDictionary<string, string> given, IEnumerable<string> known)
    {
        _command = command;
        _given = given;
        var knownSet = known.ToHashSet(StringComparer.Ordinal);
        string? unknown = given.Keys.FirstOrDefault(k => !knownSet.Contains(k));
        if (unknown is not null)
        {
            throw new CompatLabUserException($"bench {command}: unknown option '--{unknown}'; options: {string.Join(", ", knownSet.Order(StringComparer.Ordinal).Select(k => "--" + k))}");
        }
    }

    public int PositiveInt(string name, int fallback)
    {
        if (!_given.TryGetValue(name, out string? text))
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value > 0
            ? value
            : throw new CompatLabUserException($"bench {_command}: --{name} must be a positive whole number, got '{text}'");
    }

    public double PositiveDouble(string name, double fallback)
    {
        if (!_given.TryGetValue(name, out string? text))
        {
            return fallback;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value > 0 && double.IsFinite(value)
            ? value
            : throw new CompatLabUserException($"bench {_command}: --{name} must be a positive number, got '{text}'");
    }

    public string Text(string name, string fallback) => _given.TryGetValue(name, out string? text) ? text : fallback;
}
