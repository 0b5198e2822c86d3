using CompatLab.Abstractions;
using CompatLab.Abstractions.Plugins;

namespace CompatLab.Sdk.Options;

/// <summary>
/// The host validates options before it builds a plugin; a plugin built elsewhere (tests, tools, another plugin)
/// checks again on construction, so bad values are still reported as a user mistake naming the plugin, not as a
/// tensor error later.
/// </summary>
public static class OptionsGuard
{
    /// <summary>Throws <see cref="CompatLabUserException"/> "<c>{kind} '{plugin}': problems</c>"; returns the options.</summary>
    /// <param name="kind">How the message names the plugin's kind: "loss", "backbone", "dataset", "pruning".</param>
    public static T Checked<T>(T options, string kind, string plugin)
        where T : IValidatableOptions
    {
        ArgumentNullException.ThrowIfNull(options);
        string[] problems = options.Validate().ToArray();
        if (problems.Length > 0)
        {
            throw new CompatLabUserException($"{kind} '{plugin}': {string.Join(" ", problems)}");
        }

        return options;
    }
}
