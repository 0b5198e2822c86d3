using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CompatLab.Plugins.Tracking.MLflow.Artifacts;

/// <summary>
/// The run's trained model as an MLflow model folder under the artifact path "model": an MLmodel file describing
/// it (flavor "compatlab": TorchSharp weights plus the resolved configuration that rebuilds the network) and the
/// files it names. The MLmodel file is written into the tracker's folder in the run folder, so it can be sent later.
/// </summary>
internal static class ModelFolder
{
    public const string ArtifactPath = "model";
    public const string HistoryTag = "mlflow.log-model.history";
    private const string WeightsFile = "new-model.bin";
    private const string ConfigFile = "config.json";

    /// <summary>The files to log (local path, artifact path), or none when the run left no model.</summary>
    public static IReadOnlyList<(string File, string Artifact)> Prepare(string runDirectory, string trackerFolder, string? runId, DateTime createdUtc)
    {
        string weights = Path.Combine(runDirectory, WeightsFile);
        if (!File.Exists(weights))
        {
            return [];
        }

        string config = Path.Combine(runDirectory, ConfigFile);
        var files = new List<(string, string)> { (weights, $"{ArtifactPath}/data/model.bin") };
        if (File.Exists(config))
        {
            files.Add((config, $"{ArtifactPath}/data/{ConfigFile}"));
        }

        string mlmodel = Path.Combine(trackerFolder, "MLmodel");
        Spool.SpoolFormat.WriteAtomically(mlmodel, MlModelText(runId, createdUtc, File.Exists(config)));
        files.Insert(0, (mlmodel, $"{ArtifactPath}/MLmodel"));
        return files;
    }

    /// <summary>The value of mlflow.log-model.history, which MLflow's UI reads to show the run's logged models.</summary>
    public static string HistoryValue(string? runId, DateTime createdUtc)
    {
        var entry = new JsonObject
        {
            ["artifact_path"] = ArtifactPath,
            ["flavors"] = new JsonObject { ["compatlab"] = Flavor(withConfig: true) },
            ["utc_time_created"] = Created(createdUtc),
        };
        if (runId is not null)
        {
            entry["run_id"] = runId;
        }

        return new JsonArray(entry).ToJsonString();
    }

    private static JsonObject Flavor(bool withConfig)
    {
        var flavor = new JsonObject
        {
            ["data"] = "data/model.bin",
            ["format"] = "torchsharp-state-dict",
            ["compatlab_version"] = typeof(ModelFolder).Assembly.GetName().Version?.ToString(3) ?? "0",
        };
        if (withConfig)
        {
            flavor["config"] = $"data/{ConfigFile}";
        }

        return flavor;
    }

    private static string Created(DateTime createdUtc) => createdUtc.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture);

    private static string MlModelText(string? runId, DateTime createdUtc, bool withConfig)
    {
        // MLmodel is YAML; JSON strings are valid YAML scalars, so values are written that way.
        static string S(string value) => JsonSerializer.Serialize(value);
        var text = new System.Text.StringBuilder();
        text.Append("artifact_path: ").Append(ArtifactPath).Append('\n');
        text.Append("flavors:\n  compatlab:\n");
        foreach (var (key, value) in Flavor(withConfig).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.Append("    ").Append(key).Append(": ").Append(S(value!.GetValue<string>())).Append('\n');
        }

        text.Append("model_uuid: ").Append(S(Guid.NewGuid().ToString("N"))).Append('\n');
        if (runId is not null)
        {
            text.Append("run_id: ").Append(S(runId)).Append('\n');
        }

        text.Append("utc_time_created: ").Append(S(Created(createdUtc))).Append('\n');
        return text.ToString();
    }
}
