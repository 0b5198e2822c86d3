using System.Globalization;
using CompatLab.Abstractions;

namespace CompatLab.Plugins.Tracking.MLflow.FileStore;

/// <summary>
/// MLflow's local file store, as 'mlflow ui --backend-store-uri &lt;root&gt;' reads it:
/// &lt;root&gt;/&lt;experiment id&gt;/meta.yaml and &lt;root&gt;/&lt;experiment id&gt;/&lt;run id&gt;/{meta.yaml, metrics, params, tags, artifacts}.
/// A new store gets MLflow's "Default" experiment 0 and .trash folder, as MLflow itself makes them.
/// </summary>
internal sealed class MlflowFileStore
{
    public const string DefaultExperimentId = "0";
    private const string MetaFile = "meta.yaml";
    private const string TrashFolder = ".trash";
    private const string LockFile = ".compatlab-lock";

    public MlflowFileStore(string root)
    {
        Root = root;
    }

    public string Root { get; }

    public static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    /// <summary>The active experiment of that name, made if there is none. Processes sharing the store take turns.</summary>
    public string GetOrCreateExperiment(string name)
    {
        using var turn = StoreLock();
        EnsureStore();
        if (FindExperiment(Root, name) is { } existing)
        {
            return existing;
        }

        if (FindExperiment(Path.Combine(Root, TrashFolder), name) is { } deleted)
        {
            throw new CompatLabUserException(
                $"mlflow file store {Root}: experiment '{name}' (id {deleted}) is deleted; restore it ('mlflow experiments restore --experiment-id {deleted}'), remove it from {Path.Combine(Root, TrashFolder)}, or set the tracker's experimentName");
        }

        string id;
        do
        {
            // Like MLflow's own file store: a random positive integer, so stores written apart never clash.
            id = Random.Shared.NextInt64(1L << 40, 1L << 62).ToString(CultureInfo.InvariantCulture);
        }
        while (Directory.Exists(Path.Combine(Root, id)) || Directory.Exists(Path.Combine(Root, TrashFolder, id)));

        WriteExperiment(id, name);
        return id;
    }

    public FileStoreRun CreateRun(string experimentId, string runName, string user, long startTime, IEnumerable<KeyValuePair<string, string>> tags)
    {
        string experimentFolder = Path.Combine(Root, experimentId);
        var experiment = Yaml.Read(File.ReadAllText(Path.Combine(experimentFolder, MetaFile)));
        string location = experiment.GetValueOrDefault("artifact_location") ?? new Uri(experimentFolder).AbsoluteUri;
        string runId = Guid.NewGuid().ToString("N");
        var meta = new RunMeta($"{location.TrimEnd('/')}/{runId}/artifacts", experimentId, runId, runName, user, startTime, null, RunStatusCode.Running);
        string folder = Path.Combine(experimentFolder, runId);
        Directory.CreateDirectory(folder);
        FileStoreRun.WriteAtomically(folder, Path.Combine(folder, MetaFile), meta.ToYaml());
        foreach (string sub in new[] { "metrics", "params", "artifacts" })
        {
            Directory.CreateDirectory(Path.Combine(folder, sub));
        }

        var run = new FileStoreRun(folder, meta);
        run.SetTags(tags.Append(new KeyValuePair<string, string>("mlflow.runName", runName)));
        return run;
    }

    /// <summary>The run, if it is still in the store (a resume re-attaches to it).</summary>
    public FileStoreRun? OpenRun(string experimentId, string runId)
    {
        string folder = Path.Combine(Root, experimentId, runId);
        string meta = Path.Combine(folder, MetaFile);
        return File.Exists(meta) ? new FileStoreRun(folder, RunMeta.Parse(File.ReadAllText(meta))) : null;
    }

    private static string? FindExperiment(string parent, string name)
    {
        if (!Directory.Exists(parent))
        {
            return null;
        }

        foreach (string folder in Directory.GetDirectories(parent).Order(StringComparer.Ordinal))
        {
            string meta = Path.Combine(folder, MetaFile);
            if (Path.GetFileName(folder).StartsWith('.') || !File.Exists(meta))
            {
                continue;
            }

            var values = Yaml.Read(File.ReadAllText(meta));
            if (values.GetValueOrDefault("name") == name)
            {
                return values.GetValueOrDefault("experiment_id") ?? Path.GetFileName(folder);
            }
        }

        return null;
    }

    private void EnsureStore()
    {
        bool fresh = !Directory.Exists(Path.Combine(Root, DefaultExperimentId)) && !Directory.EnumerateDirectories(Root).Any(d => !Path.GetFileName(d).StartsWith('.'));
        Directory.CreateDirectory(Path.Combine(Root, TrashFolder));
        if (fresh)
        {
            WriteExperiment(DefaultExperimentId, "Default");
        }
    }

    private void WriteExperiment(string id, string name)
    {
        string folder = Path.Combine(Root, id);
        Directory.CreateDirectory(folder);
        long now = Now();
        string yaml = Yaml.Document(new Dictionary<string, string>
        {
            ["artifact_location"] = Yaml.Scalar(new Uri(folder).AbsoluteUri),
            ["creation_time"] = Yaml.Scalar(now),
            ["experiment_id"] = RunMeta.Quoted(id),
            ["last_update_time"] = Yaml.Scalar(now),
            ["lifecycle_stage"] = "active",
            ["name"] = Yaml.Scalar(name),
        });
        FileStoreRun.WriteAtomically(Root, Path.Combine(folder, MetaFile), yaml);
    }

    private FileStream StoreLock()
    {
        Directory.CreateDirectory(Root);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                return new FileStream(Path.Combine(Root, LockFile), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(20);
            }
        }
    }
}
