using CompatLab.Abstractions;
using CompatLab.Abstractions.Plugins;

namespace CompatLab.Plugins.Backbones;

/// <summary>Refuses invalid options at construction too, for callers that skip the host's validation.</summary>
internal static class OptionsGuard
{
    public static T Checked<T>(T options, string pluginName)
        where T : IValidatableOptions
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate().ToList();
        if (problems.Count > 0)
        {
            throw new CompatLabUserException($"Invalid options for backbone '{pluginName}': {string.Join(" ", problems)}");
        }

        return options;
    }
}
