using System.ComponentModel;
using System.Reflection;
using System.Text.Json;
using CompatLab.Abstractions.Plugins;
using CompatLab.Engine.Configuration;

namespace CompatLab.Engine.Plugins;

/// <summary>One option of a plugin as `compatlab plugins` lists it: name, type, default and description.</summary>
public sealed record PluginOption(string Name, string Type, string Default, string Description)
{
    public static IReadOnlyList<PluginOption> Describe(Type? optionsType)
    {
        if (optionsType is null)
        {
            return Array.Empty<PluginOption>();
        }

        object defaults = Activator.CreateInstance(optionsType)!;
        return ConfigBinder.BindableProperties(optionsType)
            .Where(p => p.CanWrite)
            .Select(p => new PluginOption(
                ConfigBinder.CamelCase(p.Name),
                ConfigBinder.FriendlyType(p.PropertyType),
                SecretMasking.IsSecret(p) ? SecretMasking.Mask : JsonSerializer.Serialize(p.GetValue(defaults)),
                p.GetCustomAttribute<DescriptionAttribute>()?.Description ?? string.Empty))
            .ToList();
    }
}
