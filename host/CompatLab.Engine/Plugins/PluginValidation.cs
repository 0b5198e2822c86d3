using System.Reflection;
using CompatLab.Abstractions;
using CompatLab.Abstractions.Hosting;
using CompatLab.Abstractions.Losses;
using CompatLab.Abstractions.Plugins;
using static TorchSharp.torch;

namespace CompatLab.Engine.Plugins;

/// <summary>
/// What a plugin class must be, checked when its assembly loads so a mistake is reported before any run: public,
/// implementing its kind's contract, a valid name, and a constructor the host can call. A constructor may take
/// the plugin's options and any of the <see cref="ServiceTypes"/>; any other parameter is refused by name.
/// </summary>
public static class PluginValidation
{
    /// <summary>What the host gives a plugin's constructor besides its options (registered per run in <see cref="PluginScope"/>).</summary>
    public static IReadOnlyList<Type> ServiceTypes { get; } = new[] { typeof(IPluginLog), typeof(ITelemetrySink), typeof(ISeedStreams), typeof(Device), typeof(ICompatibilityLossFactory) };

    public static void Validate(Type type, CompatLabPluginAttribute attribute, string path)
    {
        var contract = PluginKinds.ContractOf(attribute.Kind);
        string where = $"{path}: plugin class {type.FullName} ({PluginKinds.DisplayName(attribute.Kind)} '{attribute.Name}')";
        if (type.IsAbstract || !type.IsClass || !type.IsPublic)
        {
            throw new PluginLoadException($"{where} must be a public, non-abstract class");
        }

        if (!contract.IsAssignableFrom(type))
        {
            throw new PluginLoadException($"{where} does not implement {contract.FullName}");
        }

        if (string.IsNullOrWhiteSpace(attribute.Name) || attribute.Name.Any(c => !(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')))
        {
            throw new PluginLoadException($"{where}: plugin names are lower-case letters, digits and hyphens");
        }

        ValidateConstructors(type, attribute.Options, where);
        if (attribute.Options is not null && attribute.Options.GetConstructor(Type.EmptyTypes) is null)
        {
            throw new PluginLoadException($"{where}: options class {attribute.Options.Name} needs a public parameterless constructor");
        }
    }

    /// <summary>At least one public constructor the host can fill; with options, one that takes them.</summary>
    private static void ValidateConstructors(Type type, Type? options, string where)
    {
        var constructors = type.GetConstructors();
        var callable = constructors.Where(c => c.GetParameters().All(p => Provided(p, options))).ToList();
        if (callable.Any(c => options is null || c.GetParameters().Any(p => p.ParameterType == options)))
        {
            return;
        }

        var unknown = constructors.SelectMany(c => c.GetParameters()).FirstOrDefault(p => !Provided(p, options));
        if (unknown is not null)
        {
            string allowed = string.Join(", ", (options is null ? [] : new[] { options }).Concat(ServiceTypes).Select(t => t.Name));
            throw new PluginLoadException(
                $"{where}: constructor parameter '{unknown.Name}' of type {unknown.ParameterType.FullName} is not something the host provides; a plugin constructor may take {allowed}");
        }

        string wanted = options is null ? "a public parameterless constructor" : $"a public constructor taking {options.Name}";
        throw new PluginLoadException($"{where} needs {wanted}");
    }

    private static bool Provided(ParameterInfo parameter, Type? options) =>
        parameter.ParameterType == options || ServiceTypes.Contains(parameter.ParameterType);
}
