namespace CompatLab.Abstractions.Losses;

/// <summary>
/// Creates compatibility losses by plugin name, with options given as in an experiment file (contract 1.3). The host
/// provides it to any plugin that takes it in its constructor, so a loss can be made of other losses (<c>sum</c>).
/// </summary>
public interface ICompatibilityLossFactory
{
    /// <summary>A new, unprepared loss; the caller owns (and disposes) it.</summary>
    /// <param name="type">The loss plugin's name, e.g. "bct".</param>
    /// <param name="options">Option values by option name ("temperature" -> "0.1"); null or empty for the defaults.</param>
    /// <param name="where">Where the loss was asked for (e.g. "terms[1]"); every message about it starts with this.</param>
    /// <exception cref="CompatLabUserException">Unknown name, or options that do not bind or validate.</exception>
    ICompatibilityLoss Create(string type, IReadOnlyDictionary<string, string>? options, string where);
}
