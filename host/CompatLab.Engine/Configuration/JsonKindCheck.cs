using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;

namespace CompatLab.Engine.Configuration;

/// <summary>
/// Checks the kinds of JSON values written in experiment files against the settings they set, which the
/// configuration layer cannot do: it turns every value into text, so <c>"name": 5</c> would pass as "5" and
/// <c>"data": []</c> would silently leave the defaults. Values given by --set or the environment are text by
/// nature and are left to the binder.
/// </summary>
public static class JsonKindCheck
{
    public static void Check(JsonObject content, Type type, ConfigProvenance provenance, ConfigBinder binder) =>
        CheckObject(content, type, string.Empty, provenance, binder);

    private static void CheckObject(JsonObject node, Type type, string path, ConfigProvenance provenance, ConfigBinder binder)
    {
        var properties = ConfigBinder.BindableProperties(type).ToList();
        foreach (var (name, value) in node)
        {
            var property = properties.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
            if (property is null || property.GetCustomAttribute<OpaqueSectionAttribute>() is not null || property.PropertyType == typeof(IConfigurationSection))
            {
                continue; // unknown keys are the binder's; plugin options are checked against the plugin's own type
            }

            string key = path.Length == 0 ? ConfigBinder.CamelCase(property.Name) : $"{path}:{ConfigBinder.CamelCase(property.Name)}";
            if (IsOverridden(key, provenance))
            {
                continue;
            }

            CheckValue(value, property.PropertyType, key, provenance, binder);
        }
    }

    private static void CheckValue(JsonNode? value, Type type, string key, ConfigProvenance provenance, ConfigBinder binder)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
        {
            if (value is not JsonValue text || text.GetValueKind() != JsonValueKind.String)
            {
                binder.AddProblem(key, $"expected text (in quotes), got {Describe(value)}");
            }
        }
        else if (ConfigBinder.ListElementType(type) is { } element)
        {
            if (value is JsonArray items)
            {
                for (int i = 0; i < items.Count; i++)
                {
                    CheckValue(items[i], element, $"{key}:{i}", provenance, binder);
                }
            }
            else if (value is JsonObject { Count: 0 })
            {
                // A non-empty object is reported by the binder, key by key; an empty one would pass as an empty list.
                binder.AddProblem(key, $"expected a list, got {Describe(value)}");
            }
        }
        else if (IsSection(type))
        {
            if (value is JsonObject child)
            {
                CheckObject(child, type, key, provenance, binder);
            }
            else if (value is JsonArray)
            {
                binder.AddProblem(key, $"expected an object with keys ({string.Join(", ", ConfigBinder.BindableProperties(type).Select(p => ConfigBinder.CamelCase(p.Name)))}), got {Describe(value)}");
            }
        }
    }

    private static bool IsSection(Type type) =>
        type.IsClass && type != typeof(string) && !type.IsGenericType && ConfigBinder.ListElementType(type) is null;

    private static bool IsOverridden(string key, ConfigProvenance provenance)
    {
        string source = provenance.SourceOf(key);
        return source.StartsWith("--set ", StringComparison.Ordinal) || source.StartsWith("environment variable ", StringComparison.Ordinal);
    }

    private static string Describe(JsonNode? value) => value switch
    {
        null => "null",
        JsonArray array => array.Count == 0 ? "an empty list []" : "a list",
        JsonObject obj => obj.Count == 0 ? "an empty object {}" : "an object",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => $"\"{v}\"",
        _ => value.ToJsonString(),
    };
}
