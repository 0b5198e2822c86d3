using System.Text.Json.Nodes;

namespace CompatLab.Engine.Configuration;

/// <summary>
/// Merges configuration JSON: objects merge key by key (the later file wins), while arrays and scalars are
/// replaced whole. So a child file that sets <c>"recallAtK": [5]</c> gets exactly [5], not the base list with its
/// first element changed.
/// </summary>
public static class JsonDocumentMerger
{
    public static void MergeInto(JsonObject target, JsonObject overlay)
    {
        foreach (var (key, value) in overlay.ToList())
        {
            var existingKey = target.Select(p => p.Key).FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase));
            if (existingKey is not null && target[existingKey] is JsonObject existing && value is JsonObject incoming)
            {
                MergeInto(existing, incoming);
                continue;
            }

            if (existingKey is not null)
            {
                target.Remove(existingKey);
            }

            target[key] = value?.DeepClone();
        }
    }

    /// <summary>Sets a dotted path (a.b.c) to a value, creating objects on the way and replacing what was there.</summary>
    public static void SetPath(JsonObject root, string dottedPath, JsonNode? value)
    {
        string[] parts = dottedPath.Split('.', StringSplitOptions.RemoveEmptyEntries);
        JsonObject current = root;
        for (int i = 0; i < parts.Length - 1; i++)
        {
            var key = current.Select(p => p.Key).FirstOrDefault(k => string.Equals(k, parts[i], StringComparison.OrdinalIgnoreCase));
            if (key is null || current[key] is not JsonObject child)
            {
                if (key is not null)
                {
                    current.Remove(key);
                }

                child = new JsonObject();
                current[parts[i]] = child;
            }

            current = child;
        }

        var last = current.Select(p => p.Key).FirstOrDefault(k => string.Equals(k, parts[^1], StringComparison.OrdinalIgnoreCase));
        if (last is not null)
        {
            current.Remove(last);
        }

        current[parts[^1]] = value?.DeepClone();
    }

    /// <summary>Every leaf as a configuration key (colon-separated; array items by index) with its JSON node.</summary>
    public static IEnumerable<(string Key, JsonNode? Value)> Leaves(JsonNode? node, string prefix = "")
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj)
                {
                    foreach (var leaf in Leaves(child, prefix.Length == 0 ? key : $"{prefix}:{key}"))
                    {
                        yield return leaf;
                    }
                }

                break;
            case JsonArray array:
                for (int i = 0; i < array.Count; i++)
                {
                    foreach (var leaf in Leaves(array[i], $"{prefix}:{i}"))
                    {
                        yield return leaf;
                    }
                }

                break;
            default:
                yield return (prefix, node);
                break;
        }
    }
}
