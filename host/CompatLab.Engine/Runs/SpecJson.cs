using System.Collections;
using System.Reflection;
using System.Text.Json.Nodes;
using CompatLab.Engine.Configuration;
using CompatLab.Engine.Plugins;

namespace CompatLab.Engine.Runs;

/// <summary>Writes a bound spec (and plugin options objects) as JSON with camelCase keys and secrets masked.</summary>
public static class SpecJson
{
    public static JsonNode? From(object? value, Func<PluginRef, object?> optionsOf)
    {
        switch (value)
        {
            case null:
                return null;
            case string or bool or int or long or double or float or decimal:
                return JsonValue.Create(value);
            case Enum e:
                return JsonValue.Create(ConfigBinder.CamelCase(e.ToString()));
            case PluginRef plugin:
                return new JsonObject
                {
                    ["type"] = plugin.Type,
                    ["options"] = From(optionsOf(plugin), optionsOf) ?? new JsonObject(),
                };
            case IDictionary dictionary:
                var map = new JsonObject();
                foreach (DictionaryEntry entry in dictionary)
                {
                    string key = entry.Key.ToString()!;
                    map[key] = SecretMasking.IsSecretName(key) ? SecretMasking.Mask : From(entry.Value, optionsOf);
                }

                return map;
            case IEnumerable list:
                return new JsonArray(list.Cast<object?>().Select(item => From(item, optionsOf)).ToArray());
        }

        var obj = new JsonObject();
        foreach (var property in ConfigBinder.BindableProperties(value.GetType()).Where(p => p.GetCustomAttribute<OpaqueSectionAttribute>() is null))
        {
            object? propertyValue = property.GetValue(value);
            if (propertyValue is null && property.GetCustomAttribute<OptionalSectionAttribute>() is not null)
            {
                continue;
            }

            obj[ConfigBinder.CamelCase(property.Name)] = SecretMasking.IsSecret(property)
                ? SecretMasking.Mask
                : From(propertyValue, optionsOf);
        }

        return obj;
    }

    /// <summary>Flattens to dotted keys (for tracker params).</summary>
    public static IEnumerable<KeyValuePair<string, string>> Flatten(JsonNode? node, string prefix = "")
    {
        foreach (var (key, value) in JsonDocumentMerger.Leaves(node, prefix))
        {
            string text = value switch
            {
                null => string.Empty,
                JsonValue v when v.TryGetValue<string>(out var s) => s,
                _ => value.ToJsonString(),
            };
            yield return new(key.Replace(':', '.'), text);
        }
    }
}
