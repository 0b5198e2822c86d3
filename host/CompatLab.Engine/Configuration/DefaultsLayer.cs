using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;

namespace CompatLab.Engine.Configuration;

/// <summary>
/// The defaults that name plugins (dataset, backbone, protocol, trackers, PrunNet's integrator and criterion), read
/// from the engine's embedded <c>defaults.json</c> as the lowest layer under the experiment file, so no C#
/// initialiser names a plugin. It merges like an <c>extends</c> base: objects key by key, lists replaced whole.
/// A key <c>"x[]"</c> holds the defaults of every item of the list <c>x</c> (merged under each item the file gives).
/// </summary>
public sealed class DefaultsLayer
{
    public const string ResourceName = "CompatLab.Engine.defaults.json";

    private const string ItemsSuffix = "[]";

    private static readonly JsonDocumentOptions ReadOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
    private readonly JsonObject content;
    private readonly Type specType;

    private DefaultsLayer(JsonObject content, Type specType)
    {
        this.content = content;
        this.specType = specType;
    }

    /// <summary>The defaults of an experiment file.</summary>
    public static DefaultsLayer Experiment { get; } = Load(typeof(ExperimentSpec));

    /// <summary>The embedded file as written, comments included, for <c>compatlab config defaults</c>.</summary>
    public static string Text()
    {
        using var stream = typeof(DefaultsLayer).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"the engine assembly lacks its {ResourceName} resource");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// The defaults with <paramref name="content"/> merged over them. An optional section of the defaults is kept
    /// only when <paramref name="present"/> says the experiment gives it (in a file, the environment or --set), so a
    /// section that is absent stays absent and out of the content hash.
    /// </summary>
    public JsonObject Under(JsonObject content, Func<string, bool> present)
    {
        var result = (JsonObject)this.content.DeepClone();
        KeepPresentOptionalSections(result, specType, string.Empty, present);
        JsonDocumentMerger.MergeInto(result, content);
        ApplyItemDefaults(result);
        return result;
    }

    /// <summary>An optional section's defaults bound alone, for a run that leaves the section out (e.g. prunnet:evaluation).</summary>
    public T Bind<T>(string key)
        where T : new()
    {
        var plain = (JsonObject)content.DeepClone();
        ApplyItemDefaults(plain);
        var root = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(plain.ToJsonString()))).Build();
        var binder = new ConfigBinder(new ConfigProvenance("defaults.json"));
        var bound = binder.Bind<T>(root.GetSection(key));
        binder.ThrowIfProblems();
        return bound;
    }

    private static DefaultsLayer Load(Type specType) =>
        new((JsonObject)JsonNode.Parse(Text(), documentOptions: ReadOptions)!, specType);

    /// <summary>Merges each <c>"x[]"</c> object under every object item of the list <c>x</c> beside it, then drops the <c>"x[]"</c> key.</summary>
    private static void ApplyItemDefaults(JsonObject node)
    {
        foreach (var (key, value) in node.ToList())
        {
            if (key.EndsWith(ItemsSuffix, StringComparison.Ordinal) && value is JsonObject itemDefaults)
            {
                node.Remove(key);
                if (node[key[..^ItemsSuffix.Length]] is JsonArray items)
                {
                    WithItemDefaults(items, itemDefaults);
                }
            }
            else if (value is JsonObject child)
            {
                ApplyItemDefaults(child);
            }
        }
    }

    private static void WithItemDefaults(JsonArray items, JsonObject itemDefaults)
    {
        for (int i = 0; i < items.Count; i++)
        {
            if (items[i] is JsonObject item)
            {
                var merged = (JsonObject)itemDefaults.DeepClone();
                JsonDocumentMerger.MergeInto(merged, item);
                items[i] = merged;
            }
        }
    }

    private static void KeepPresentOptionalSections(JsonObject node, Type type, string path, Func<string, bool> present)
    {
        foreach (var (key, value) in node.ToList())
        {
            var property = type.GetProperty(key, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            string childPath = path.Length == 0 ? key : $"{path}:{key}";
            if (property is null)
            {
                continue;
            }

            if (property.GetCustomAttribute<OptionalSectionAttribute>() is not null && !present(childPath))
            {
                node.Remove(key);
            }
            else if (value is JsonObject child)
            {
                KeepPresentOptionalSections(child, property.PropertyType, childPath, present);
            }
        }
    }
}
