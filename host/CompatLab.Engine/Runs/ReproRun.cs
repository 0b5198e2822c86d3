using System.Text.Json;
using System.Text.Json.Nodes;
using CompatLab.Abstractions;
using CompatLab.Engine.Configuration;
using CompatLab.Engine.Plugins;
using CompatLab.Engine.Reproducibility;

namespace CompatLab.Engine.Runs;

/// <summary>
/// A finished run opened to be repeated: its resolved configuration (config.json) run again into a fresh output
/// folder (nothing shared: old models and PrunNet networks are trained again; no trackers), then its results
/// compared with the original's, and what differs in the environment (manifest.json) listed to explain them.
/// </summary>
public sealed class ReproRun
{
    private ReproRun(string folder, JsonObject config, JsonNode results, string label)
    {
        Folder = folder;
        Config = config;
        Results = results;
        Label = label;
    }

    public string Folder { get; }

    public JsonObject Config { get; }

    public JsonNode Results { get; }

    public string Label { get; }

    public string ConfigPath => Path.Combine(Folder, "config.json");

    public static ReproRun Open(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new CompatLabUserException($"{folder}: no such run folder");
        }

        var state = ExperimentRunner.ReadState(folder)
            ?? throw new CompatLabUserException($"{folder}: not a run folder (no state.json); give the folder of one run, e.g. runs/<name>/<label>-<hash>");
        if (state.Status != RunState.Finished)
        {
            throw new CompatLabUserException($"{folder}: the run has not finished (state: {state.Status}); there are no results to reproduce");
        }

        foreach (string file in new[] { "config.json", "results.json" })
        {
            if (!File.Exists(Path.Combine(folder, file)))
            {
                throw new CompatLabUserException($"{folder}: the finished run has no {file}");
            }
        }

        JsonNode results;
        try
        {
            results = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "results.json")))!;
        }
        catch (JsonException e)
        {
            throw new CompatLabUserException($"{Path.Combine(folder, "results.json")}: unreadable ({e.Message})");
        }

        var config = ExperimentDocument.Load(Path.Combine(folder, "config.json")).CloneContent();
        RemoveNulls(config);
        string label = results["label"]?.GetValue<string>() ?? Path.GetFileName(Path.TrimEndingDirectorySeparator(folder));
        return new ReproRun(folder, config, results, label);
    }

    /// <summary>The configuration to rerun: the same, but writing into <paramref name="output"/> and tracked nowhere.</summary>
    public JsonObject RerunConfig(string output)
    {
        var config = (JsonObject)Config.DeepClone();
        config["output"] = output;
        config["tracking"] = new JsonObject { ["trackers"] = new JsonArray() };
        return config;
    }

    public ExperimentSpec BindSpec(string output) =>
        ExperimentResolver.BindSpec(RerunConfig(output), new ConfigProvenance(ConfigPath), [], environment: null);

    public ResolvedExperiment Resolve(PluginCatalog catalog, string output) =>
        new ExperimentResolver(catalog).Resolve(RerunConfig(output), new ConfigProvenance(ConfigPath), [], environment: null, Label);

    /// <summary>Environment facts that differ between the original run's manifest and the rerun's.</summary>
    public static IReadOnlyList<ValueDifference> EnvironmentChanges(RunManifest? original, RunManifest? rerun)
    {
        if (original is null || rerun is null)
        {
            return [];
        }

        static JsonNode? Facts(RunManifest m) => JsonSerializer.SerializeToNode(new
        {
            commit = m.Git?.Commit,
            dirty = m.Git?.Dirty,
            plugins = m.Plugins.Where(p => p.Kind != "tracker").ToDictionary(p => $"{p.Kind}:{p.Name}", p => p.Sha256), // trackers cannot change results
            datasets = m.Datasets.ToDictionary(d => d.Name, d => d.Digest),
            m.Machine.CpuModel,
            isa = string.Join(' ', m.Machine.IsaFlags),
            m.Machine.LibtorchVersion,
            m.Machine.TorchThreads,
            m.Machine.Allocator,
            environment = m.Machine.Environment,
        });
        return ResultComparison.Compare(Facts(original), Facts(rerun), tolerance: 0);
    }

    private static void RemoveNulls(JsonObject node)
    {
        // Options left unset are saved as null; bound again, a null list would replace the default with an empty one.
        foreach (string key in node.Where(p => p.Value is null).Select(p => p.Key).ToList())
        {
            node.Remove(key);
        }

        foreach (var child in node.Select(p => p.Value).OfType<JsonObject>())
        {
            RemoveNulls(child);
        }
    }
}
