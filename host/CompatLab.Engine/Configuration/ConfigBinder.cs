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
public sealed class ConfigBinder
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

    /// <summary>
    /// Binds a list. Given in a file, it replaces the default whole; given only by --set or the environment, its items
    /// change the default list's items by index (so `--set tracking.trackers.0.options.x=1` keeps the default
    /// tracker's type). Either way an index may not skip past the end: that is a typo, not a list.
    /// </summary>
    private (bool Ok, object? Value) BindList(Type type, IConfigurationSection section, string key, IList? defaults)
    {
        var elementType = type.GetGenericArguments()[0];
        var list = (IList)Activator.CreateInstance(type)!;
        var children = section.GetChildren().ToList();
        if (children.Count == 0 && !string.IsNullOrEmpty(section.Value))
        {
            AddProblem(key, $"expected a list of {FriendlyType(elementType)}, got \"{section.Value}\"");
            return (false, null);
        }

        bool overlay = defaults is { Count: > 0 } && provenance.OnlyOverrides(key);
        if (overlay)
        {
            foreach (var item in defaults!)
            {
                list.Add(item);
            }
        }

        bool ok = true;
        foreach (var child in children.OrderBy(c => int.TryParse(c.Key, NumberStyles.None, CultureInfo.InvariantCulture, out int i) ? i : int.MaxValue))
        {
            string itemKey = Join(key, child.Key);
            if (!int.TryParse(child.Key, NumberStyles.None, CultureInfo.InvariantCulture, out int index))
            {
                AddProblem(itemKey, "expected a list, got an object");
                ok = false;
                continue;
            }

            if (index > list.Count)
            {
                AddProblem(itemKey, $"the list has no item {index - 1}, so item {index} cannot be set; set an index from 0 to {list.Count} or give the whole list");
                ok = false;
                continue;
            }

            var item = BindValue(elementType, index < list.Count ? list[index] : null, child, itemKey);
            if (item.Ok)
            {
                if (index < list.Count)
                {
                    list[index] = item.Value;
                }
                else
                {
                    list.Add(item.Value);
                }

                if (item.Value is not null && !IsScalar(elementType))
                {
                    CheckRequired(item.Value, itemKey);
                }
            }
            else
            {
                ok = false;
            }
        }

        return (ok, list);
    }

    private (bool Ok, object? Value) BindDictionary(Type type, IConfigurationSection section, string key)
    {
        var valueType = type.GetGenericArguments()[1];
        var dictionary = (IDictionary)Activator.CreateInstance(type, StringComparer.OrdinalIgnoreCase)!;
        bool ok = true;
        foreach (var child in section.GetChildren())
        {
            var item = BindValue(valueType, null, child, Join(key, child.Key));
            if (item.Ok)
            {
                dictionary[child.Key] = item.Value;
            }
            else
            {
                ok = false;
            }
        }

        return (ok, dictionary);
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
