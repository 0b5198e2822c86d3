using System.Globalization;
using System.Reflection;
using CompatLab.Abstractions.Plugins;

namespace CompatLab.Testing;

/// <summary>
/// Builds a plugin the way the host does: a fresh options object with the given values set, handed to the public
/// constructor together with any host services the constructor asks for.
/// </summary>
internal sealed class PluginFactory
{
    private readonly ConformanceSettings settings;

    public PluginFactory(Type pluginType, ConformanceSettings settings)
    {
        PluginType = pluginType;
        this.settings = settings;
        Attribute = pluginType.GetCustomAttribute<CompatLabPluginAttribute>()
            ?? throw new ArgumentException($"{pluginType.FullName} has no [CompatLabPlugin] attribute, so it is not a plugin.", nameof(pluginType));
    }

    public Type PluginType { get; }

    public CompatLabPluginAttribute Attribute { get; }

    public string Description => $"{PluginKinds.DisplayName(Attribute.Kind)} '{Attribute.Name}'";

    public T Create<T>(IReadOnlyDictionary<string, object?>? overrides = null)
    {
        object? options = NewOptions(overrides);
        ConstructorInfo constructor = PluginType.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault()
            ?? throw new ConformanceViolation($"{Description} has no public constructor.");
        object?[] arguments = constructor.GetParameters().Select(p => Argument(p, options)).ToArray();
        object instance;
        try
        {
            instance = constructor.Invoke(arguments);
        }
        catch (TargetInvocationException wrapped) when (wrapped.InnerException is not null)
        {
            throw wrapped.InnerException;
        }

        return instance is T typed ? typed : throw new ConformanceViolation($"{Description} does not implement {typeof(T).Name}.");
    }

    /// <summary>The options object with defaults, the settings' values, then the overrides; null when the plugin has none.</summary>
    public object? NewOptions(IReadOnlyDictionary<string, object?>? overrides = null)
    {
        if (Attribute.Options is null)
        {
            return null;
        }

        object options = Activator.CreateInstance(Attribute.Options)
            ?? throw new ConformanceViolation($"{Description}: options type {Attribute.Options.Name} has no parameterless constructor.");
        foreach (var (name, value) in settings.Options.Concat(overrides ?? new Dictionary<string, object?>()))
        {
            Set(options, name, value);
        }

        return options;
    }

    public PropertyInfo OptionProperty(string name) =>
        Attribute.Options?.GetProperty(name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase)
            ?? throw new ArgumentException($"{Description} has no option '{name}'.", nameof(name));

    private void Set(object options, string name, object? value)
    {
        PropertyInfo property = OptionProperty(name);
        Type target = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        object? converted = value is null || target.IsInstanceOfType(value) ? value : Convert.ChangeType(value, target, CultureInfo.InvariantCulture);
        property.SetValue(options, converted);
    }

    private object? Argument(ParameterInfo parameter, object? options)
    {
        if (options is not null && parameter.ParameterType.IsInstanceOfType(options))
        {
            return options;
        }

        return settings.Services.FirstOrDefault(parameter.ParameterType.IsInstanceOfType)
            ?? (parameter.HasDefaultValue ? parameter.DefaultValue : throw new ConformanceViolation(
                $"{Description}'s constructor needs a {parameter.ParameterType.Name} ('{parameter.Name}'); pass one in ConformanceSettings.Services."));
    }
}
