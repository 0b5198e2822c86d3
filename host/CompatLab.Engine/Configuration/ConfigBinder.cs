using System.Collections;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace CompatLab.Engine.Configuration;

/// <summary>
/// Binds configuration sections onto typed classes strictly: every key must match a property, every value must
/// convert, required values must be present. Problems are collected (each naming its source and dotted key) so
/// one run reports all of them. Lists given in configuration replace the default list rather than append to it.
/// </summary>
public sealed partial class ConfigBinder
{
    private readonly ConfigProvenance provenance;
    private readonly List<string> problems = new();

    public ConfigBinder(ConfigProvenance provenance)
    {
        this.provenance = provenance;
    }

    public IReadOnlyList<string> Problems => problems;

    public void ThrowIfProblems()
    {
        if (problems.Count > 0)
        {
            throw new ConfigException(problems.ToList());
        }
    }

    public void AddProblem(string key, string message) =>
        problems.Add($"{provenance.SourceOf(key)}: {ConfigProvenance.Dotted(key)}: {message}");

    public T Bind<T>(IConfiguration section)
        where T : new()
    {
        var target = new T();
        BindObject(target, section, PathOf(section));
        CheckRequired(target, PathOf(section));
        return target;
    }

    /// <summary>Creates an instance of <paramref name="type"/> and binds <paramref name="section"/> (may be null) onto it.</summary>
    public object BindNew(Type type, IConfigurationSection? section, string path)
    {
        var target = Activator.CreateInstance(type) ?? throw new InvalidOperationException($"Cannot create {type}.");
        if (section is not null)
        {
            BindObject(target, section, path);
        }

        return target;
    }

    public static string FriendlyType(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(int) || type == typeof(long) || type == typeof(short))
        {
            return "a whole number";
        }

        if (type == typeof(double) || type == typeof(float) || type == typeof(decimal))
        {
            return "a number";
        }

        if (type == typeof(bool))
        {
            return "true or false";
        }

        if (type.IsEnum)
        {
            return "one of " + string.Join(", ", Enum.GetNames(type).Select(CamelCase));
        }

        if (ListElementType(type) is { } element)
        {
            return "a list of " + FriendlyType(element).Replace("a ", string.Empty, StringComparison.Ordinal) + "s";
        }

        return type == typeof(string) ? "text" : "a " + type.Name;
    }

    /// <summary>The element type when <paramref name="type"/> is an array or a list-like collection we can fill; else null.</summary>
    public static Type? ListElementType(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsArray)
        {
            return type.GetElementType();
        }

        if (type.IsGenericType)
        {
            var definition = type.GetGenericTypeDefinition();
            if (definition == typeof(List<>) || definition == typeof(IList<>) || definition == typeof(IReadOnlyList<>)
                || definition == typeof(IEnumerable<>) || definition == typeof(ICollection<>) || definition == typeof(IReadOnlyCollection<>))
            {
                return type.GetGenericArguments()[0];
            }
        }

        return null;
    }

    public static string CamelCase(string name) => name.Length == 0 ? name : char.ToLowerInvariant(name[0]) + name[1..];

    public static IEnumerable<PropertyInfo> BindableProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanRead && p.GetIndexParameters().Length == 0);

    private static string PathOf(IConfiguration section) => section is IConfigurationSection s ? s.Path : string.Empty;

    private static string Join(string prefix, string key) => prefix.Length == 0 ? key : $"{prefix}:{key}";

    private static bool IsScalar(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal);
    }

    private void BindObject(object target, IConfiguration section, string path)
    {
        var properties = BindableProperties(target.GetType()).ToList();
        foreach (var child in section.GetChildren())
        {
            string key = Join(path, child.Key);
            var property = properties.FirstOrDefault(p => string.Equals(p.Name, child.Key, StringComparison.OrdinalIgnoreCase));
            if (property is null)
            {
                AddProblem(key, "unknown key" + NameSuggester.Hint(child.Key, properties.Select(p => CamelCase(p.Name))));
                continue;
            }

            key = Join(path, CamelCase(property.Name));
            if (property.GetCustomAttribute<OpaqueSectionAttribute>() is not null)
            {
                property.SetValue(target, child);
                continue;
            }

            var existing = property.GetValue(target);
            var bound = BindValue(property.PropertyType, existing, child, key);
            if (bound.Ok && property.CanWrite)
            {
                property.SetValue(target, bound.Value);
            }
        }
    }

    private (bool Ok, object? Value) BindValue(Type type, object? existing, IConfigurationSection section, string key)
    {
        if (IsScalar(type))
        {
            return BindScalar(type, section, key);
        }

        if (ListElementType(type) is { } element)
        {
            var bound = BindList(typeof(List<>).MakeGenericType(element), section, key, existing as IList);
            if (bound.Ok && type.IsArray)
            {
                var items = (IList)bound.Value!;
                var array = Array.CreateInstance(element, items.Count);
                items.CopyTo(array, 0);
                return (true, array);
            }

            return bound;
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>) && type.GetGenericArguments()[0] == typeof(string))
        {
            return BindDictionary(type, section, key);
        }

        if (section.Value is not null && !section.GetChildren().Any())
        {
            if (section.Value.Length == 0)
            {
                return (false, null);
            }

            AddProblem(key, $"expected an object with keys ({string.Join(", ", BindableProperties(type).Select(p => CamelCase(p.Name)))}), got \"{section.Value}\"");
            return (false, null);
        }

        var target = existing ?? Activator.CreateInstance(type)!;
        BindObject(target, section, key);
        return (true, target);
    }

    private (bool Ok, object? Value) BindScalar(Type type, IConfigurationSection section, string key)
    {
        if (section.GetChildren().Any())
        {
            AddProblem(key, $"expected {FriendlyType(type)}, got an object or a list");
            return (false, null);
        }

        string raw = section.Value ?? string.Empty;
        var target = Nullable.GetUnderlyingType(type) ?? type;
        if (target == typeof(string))
        {
            return (true, raw);
        }

        if (raw.Length == 0 && Nullable.GetUnderlyingType(type) is not null)
        {
            return (true, null);
        }

        try
        {
            if (target.IsEnum)
            {
                var name = Enum.GetNames(target).FirstOrDefault(n => string.Equals(n, raw.Replace("-", string.Empty), StringComparison.OrdinalIgnoreCase));
                if (name is null)
                {
                    throw new FormatException();
                }

                return (true, Enum.Parse(target, name));
            }

            // The binder package does the conversion (invariant culture); we only add the error naming the key.
            var value = section.Get(target);
            if (value is double or float && !double.IsFinite(Convert.ToDouble(value, CultureInfo.InvariantCulture)))
            {
                // 1e309 and "Infinity" parse to infinity, which no setting means and which would poison training.
                AddProblem(key, $"expected a finite number, got \"{raw}\"");
                return (false, null);
            }

            return (true, value);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or OverflowException or ArgumentException)
        {
            AddProblem(key, $"expected {FriendlyType(type)}, got \"{raw}\"");
            return (false, null);
        }
    }

    private void CheckRequired(object target, string path)
    {
        foreach (var property in BindableProperties(target.GetType()))
        {
            string key = Join(path, CamelCase(property.Name));
            var value = property.GetValue(target);
            if (property.GetCustomAttribute<RequiredValueAttribute>() is not null)
            {
                bool missing = value switch
                {
                    string s => string.IsNullOrWhiteSpace(s),
                    PluginRef p => string.IsNullOrWhiteSpace(p.Type),
                    null => true,
                    _ => false,
                };
                if (missing)
                {
                    string shown = value is PluginRef ? Join(key, "type") : key;
                    AddProblem(shown, "a value is required here, and none was given");
                }
            }

            if (value is not null && !IsScalar(property.PropertyType) && property.GetCustomAttribute<OpaqueSectionAttribute>() is null
                && value is not IEnumerable && value is not IConfiguration)
            {
                CheckRequired(value, key);
            }
        }
    }
}
