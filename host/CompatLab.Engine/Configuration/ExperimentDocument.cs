using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CompatLab.Engine.Configuration;

/// <summary>
/// An experiment file with its <c>extends</c> chain merged (base first, the file itself last) and its optional
/// <c>matrix</c> section taken out. Remembers which file gave each key.
/// </summary>
public sealed class ExperimentDocument
{
    private const string ExtendsKey = "extends";
    private const string MatrixKey = "matrix";

    /// <summary>The largest experiment file read (1 MB).</summary>
    public const long MaxFileBytes = 1024 * 1024;

    private ExperimentDocument(string path, JsonObject content, JsonObject? matrix, ConfigProvenance provenance)
    {
        Path = path;
        Content = content;
        Matrix = matrix;
        Provenance = provenance;
    }

    /// <summary>The file as given by the user (for messages).</summary>
    public string Path { get; }

    public JsonObject Content { get; }

    public JsonObject? Matrix { get; private set; }

    public ConfigProvenance Provenance { get; }

    public static ExperimentDocument Load(string path)
    {
        var provenance = new ConfigProvenance(path);
        var merged = LoadChain(path, provenance, new Stack<string>());
        JsonObject? matrix = null;
        var matrixKey = merged.Select(p => p.Key).FirstOrDefault(k => string.Equals(k, MatrixKey, StringComparison.OrdinalIgnoreCase));
        if (matrixKey is not null)
        {
            if (merged[matrixKey] is not JsonObject m)
            {
                throw new ConfigException(new[] { $"{path}: matrix: expected an object with axes and seeds" });
            }

            matrix = m;
            merged.Remove(matrixKey);
        }

        return new ExperimentDocument(path, merged, matrix, provenance);
    }

    /// <summary>Applies the --set values that address the matrix section (<see cref="MatrixOverrides"/>) and returns the others.</summary>
    public IReadOnlyList<string> ApplyMatrixOverrides(IEnumerable<string> sets)
    {
        var rest = new List<string>();
        foreach (string set in sets)
        {
            if (MatrixOverrides.Addresses(set))
            {
                Matrix = MatrixOverrides.Apply(Matrix, set);
            }
            else
            {
                rest.Add(set);
            }
        }

        return rest;
    }

    /// <summary>A copy of the content for one matrix cell or override, leaving this document untouched.</summary>
    public JsonObject CloneContent() => (JsonObject)Content.DeepClone();

    private static JsonObject LoadChain(string path, ConfigProvenance provenance, Stack<string> visiting)
    {
        string full = System.IO.Path.GetFullPath(path);
        if (visiting.Contains(full))
        {
            throw new ConfigException(new[] { $"{path}: extends: the files extend each other in a cycle ({string.Join(" -> ", visiting.Reverse().Append(full))})" });
        }

        var own = ReadObject(path);
        var result = new JsonObject();
        var extendsKey = own.Select(p => p.Key).FirstOrDefault(k => string.Equals(k, ExtendsKey, StringComparison.OrdinalIgnoreCase));
        if (extendsKey is not null)
        {
            var bases = own[extendsKey] switch
            {
                JsonValue v when v.TryGetValue<string>(out var single) => new List<string> { single },
                JsonArray a when a.All(n => n is JsonValue jv && jv.TryGetValue<string>(out _)) => a.Select(n => n!.GetValue<string>()).ToList(),
                _ => throw new ConfigException(new[] { $"{path}: extends: expected a file path or a list of file paths" }),
            };
            own.Remove(extendsKey);
            visiting.Push(full);
            foreach (string relative in bases)
            {
                string basePath = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(path) ?? ".", relative);
                if (!File.Exists(basePath))
                {
                    throw new ConfigException(new[] { $"{path}: extends: base file '{relative}' not found (looked for {basePath})" });
                }

                JsonDocumentMerger.MergeInto(result, LoadChain(basePath, provenance, visiting));
            }

            visiting.Pop();
        }

        foreach (var (key, _) in JsonDocumentMerger.Leaves(own))
        {
            provenance.Record(key, path);
        }

        JsonDocumentMerger.MergeInto(result, own);
        return result;
    }

    private static JsonObject ReadObject(string path)
    {
        if (!File.Exists(path))
        {
            throw new ConfigException(new[] { $"{path}: experiment file not found" });
        }

        // An experiment is a page of settings; a huge file is a mistake (a data file named by accident) that would
        // otherwise take minutes and gigabytes to parse before anything is said.
        long size = new FileInfo(path).Length;
        if (size > MaxFileBytes)
        {
            throw new ConfigException(new[] { string.Create(CultureInfo.InvariantCulture, $"{path}: {size / 1024.0 / 1024.0:0.0} MB is more than an experiment file may hold ({MaxFileBytes / 1024 / 1024} MB); is it the right file?") });
        }

        try
        {
            var node = JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            var root = node as JsonObject ?? throw new ConfigException(new[] { $"{path}: expected a JSON object at the top level" });
            _ = JsonDocumentMerger.Leaves(root).Count(); // enumerating builds each object's key table, which rejects duplicates
            return root;
        }
        catch (ArgumentException e) when (e.Message.Contains("same key", StringComparison.Ordinal))
        {
            string key = e.Message.Split("Key: ").LastOrDefault()?.Split(' ')[0] ?? "?";
            throw new ConfigException(new[] { $"{path}: the key '{key}' appears twice in one object; keep one" });
        }
        catch (JsonException e)
        {
            throw new ConfigException(new[] { $"{path}: not valid JSON (line {e.LineNumber + 1}, position {e.BytePositionInLine + 1}): {e.Message.Split('.')[0]}" });
        }
    }
}
