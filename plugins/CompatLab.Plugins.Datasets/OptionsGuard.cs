using CompatLab.Abstractions;
using CompatLab.Abstractions.Plugins;

namespace CompatLab.Plugins.Datasets;

/// <summary>
/// Plugins check their options again on construction, so a plugin built outside the host (tests, tools)
/// still reports bad values as a user mistake rather than failing later with a tensor error.
/// </summary>
internal static class OptionsGuard
{
    public static void ThrowIfInvalid(IValidatableOptions options, string pluginName)
    {
        var problems = options.Validate().ToList();
        if (problems.Count > 0)
        {
            throw new CompatLabUserException($"dataset '{pluginName}': {string.Join(" ", problems)}");
        }
    }
}
