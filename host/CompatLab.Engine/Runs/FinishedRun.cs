using System.Text.Json;
using System.Text.Json.Nodes;
using CompatLab.Abstractions;
using CompatLab.Abstractions.Data;
using CompatLab.Abstractions.Models;
using CompatLab.Engine.Configuration;
using CompatLab.Engine.Models;
using CompatLab.Engine.Plugins;
using CompatLab.Engine.Training;
using static TorchSharp.torch;

namespace CompatLab.Engine.Runs;

/// <summary>
/// A run folder whose run has finished, opened to work on its new model afterwards (pruning): the saved resolved
/// configuration is resolved again against the loaded plugins, and the model is rebuilt from it exactly as the run
/// built it, with learned scores when the saved model has them.
/// </summary>
public sealed class FinishedRun
{
    public const string NewModelFile = "new-model.bin";

    private FinishedRun(string folder, JsonObject config)
    {
        Folder = folder;
        Config = config;
    }

    public string Folder { get; }

    public string ConfigPath => Path.Combine(Folder, "config.json");

    public string NewModelPath => Path.Combine(Folder, NewModelFile);

    /// <summary>The run's resolved configuration, tracking left out (its secrets were masked when it was saved).</summary>
    public JsonObject Config { get; }

    /// <summary>Checks that the folder holds a finished run with its configuration and new model.</summary>
    public static FinishedRun Open(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new CompatLabUserException($"{folder}: no such run folder");
        }

        RunState? state;
        try
        {
            state = ExperimentRunner.ReadState(folder);
        }
        catch (JsonException e)
        {
            throw new CompatLabUserException($"{Path.Combine(folder, "state.json")}: unreadable ({e.Message})");
        }

        if (state is null)
        {
            throw new CompatLabUserException($"{folder}: not a run folder (no state.json); give the folder of one run, e.g. runs/<name>/<label>-<hash>");
        }

        if (state.Status != RunState.Finished)
        {
            throw new CompatLabUserException($"{folder}: the run has not finished (state: {state.Status}); finish it with 'compatlab run' first");
        }

        foreach (string file in new[] { "config.json", NewModelFile })
        {
            if (!File.Exists(Path.Combine(folder, file)))
            {
                throw new CompatLabUserException($"{folder}: the finished run has no {file}");
            }
        }

        var document = ExperimentDocument.Load(Path.Combine(folder, "config.json"));
        var config = document.CloneContent();
        config["tracking"] = new JsonObject { ["trackers"] = new JsonArray() };
        RemoveNulls(config);
        return new FinishedRun(folder, config);
    }

    /// <summary>
    /// The saved configuration writes options left unset (e.g. a backbone's <c>widths</c>) as null; bound again, a
    /// null list would become an empty one instead of the default, so unset keys are dropped before binding.
    /// </summary>
    private static void RemoveNulls(JsonObject node)
    {
        foreach (string key in node.Where(p => p.Value is null).Select(p => p.Key).ToList())
        {
            node.Remove(key);
        }

        foreach (var child in node.Select(p => p.Value).OfType<JsonObject>())
        {
            RemoveNulls(child);
        }
    }

    /// <summary>The spec alone, e.g. to learn the plugin directories before loading plugins.</summary>
    /// <param name="sets">`--set KEY=VALUE` overrides (e.g. the device), bound and blamed as <c>run</c> binds them.</param>
    public ExperimentSpec BindSpec(IEnumerable<string>? sets = null) =>
        ExperimentResolver.BindSpec((JsonObject)Config.DeepClone(), new ConfigProvenance(ConfigPath), sets ?? [], environment: null);

    public ResolvedExperiment Resolve(PluginCatalog catalog, IEnumerable<string>? sets = null) =>
        new ExperimentResolver(catalog).Resolve((JsonObject)Config.DeepClone(), new ConfigProvenance(ConfigPath), sets ?? [], environment: null, Path.GetFileName(Path.TrimEndingDirectorySeparator(Folder)));

    /// <summary>The trained new model, built as the run built it and loaded from <see cref="NewModelPath"/>.</summary>
    public RetrievalModel LoadNewModel(IBackboneFactory backbone, DatasetBundle dataset, ExperimentSpec spec, Device device)
    {
        bool withScores = SavedModelState.HasScores(NewModelPath);
        var model = ModelBuilder.Build(
            backbone, (dataset.Channels, dataset.Height, dataset.Width), spec.Model, dataset.ClassCount, SeedDerivation.Derive(spec.Seed, "new-init"), device, withScores);
        try
        {
            model.load(NewModelPath);
            return model;
        }
        catch (ArgumentException e)
        {
            model.Dispose();
            throw new CompatLabUserException($"{NewModelPath}: does not fit the model its configuration builds ({e.Message})");
        }
    }
}
