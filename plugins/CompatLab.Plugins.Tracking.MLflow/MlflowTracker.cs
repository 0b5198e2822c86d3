using CompatLab.Abstractions;
using CompatLab.Abstractions.Plugins;
using CompatLab.Abstractions.Tracking;
using CompatLab.Plugins.Tracking.MLflow.Artifacts;
using CompatLab.Plugins.Tracking.MLflow.Rest;
using CompatLab.Plugins.Tracking.MLflow.Spool;

namespace CompatLab.Plugins.Tracking.MLflow;

/// <summary>
/// Tracks runs in MLflow: into a file store that 'mlflow ui' opens (the default, ./mlruns), or on a tracking
/// server through its REST API, with a spool in the run folder so nothing is lost while the server is away.
/// </summary>
[CompatLabPlugin(
    PluginKind.Tracker,
    "mlflow",
    Description = "MLflow tracking: the file store ./mlruns by default, or a tracking server (MLFLOW_TRACKING_URI); records wait in the run folder while a server is away.",
    Options = typeof(MlflowTrackerOptions))]
public sealed class MlflowTracker : ISyncableTracker
{
    private readonly MlflowTrackerOptions options;
    private readonly TrackingTarget target;
    private readonly MlflowCredentials credentials;
    private IRunSession? session;
    private string runDirectory = string.Empty;

    public MlflowTracker(MlflowTrackerOptions options)
    {
        string[] problems = options.Validate().ToArray();
        if (problems.Length > 0)
        {
            throw new CompatLabUserException($"tracker 'mlflow': {string.Join(" ", problems)}");
        }

        this.options = options;
        target = TrackingTarget.Resolve(options.TrackingUri, options.FileStore, Environment.GetEnvironmentVariable(TrackingTarget.EnvironmentVariable));
        credentials = MlflowCredentials.FromEnvironment(Environment.GetEnvironmentVariable);
    }

    /// <inheritdoc />
    /// <remarks>Each spool names its own server, so this tracker's options do not matter here.</remarks>
    public int SyncSpools(string runsDirectory, TextWriter messages) => SpoolSync.Run(runsDirectory, messages);

    public void StartRun(TrackedRun run)
    {
        session?.Dispose();
        session = null;
        runDirectory = run.RunDirectory;
        string experiment = options.ExperimentName.Length > 0 ? options.ExperimentName : run.ExperimentName;
        session = target.IsServer
            ? ServerRunSession.Start(run, target, options, credentials, experiment, Warn)
            : FileStoreRunSession.Start(run, target, experiment, Warn);
    }

    public void LogParams(IReadOnlyDictionary<string, string> parameters) => session?.LogParams(KeyRules.Params(parameters));

    public void LogMetrics(IReadOnlyList<MetricPoint> points) => session?.LogMetrics(KeyRules.Metrics(points));

    public void SetTags(IReadOnlyDictionary<string, string> tags) => session?.SetTags(KeyRules.Tags(tags));

    public void LogArtifact(string localPath, string artifactPath)
    {
        if (!File.Exists(localPath))
        {
            Warn($"artifact '{artifactPath}' not logged: {localPath} does not exist");
            return;
        }

        session?.LogArtifact(localPath, KeyRules.ArtifactPath(artifactPath));
    }

    public void EndRun(RunStatus status)
    {
        if (session is null)
        {
            return;
        }

        if (options.LogCheckpoints)
        {
            foreach (var (file, artifact) in Checkpoints())
            {
                session.LogArtifact(file, artifact);
            }
        }

        if (status == RunStatus.Finished)
        {
            LogModel(session);
        }

        session.EndRun(status);
    }

    public void Dispose()
    {
        session?.Dispose();
        session = null;
    }

    private static void Warn(string message) => Console.Error.WriteLine("warning: mlflow: " + message);

    /// <summary>The trained model as an MLflow model folder ("model": MLmodel, weights, configuration) and the tag MLflow's UI lists models by.</summary>
    private void LogModel(IRunSession current)
    {
        var created = DateTime.UtcNow;
        var files = ModelFolder.Prepare(runDirectory, Path.Combine(runDirectory, "mlflow", target.Id), current.RunId, created);
        if (files.Count == 0)
        {
            return;
        }

        foreach (var (file, artifact) in files)
        {
            current.LogArtifact(file, artifact);
        }

        current.SetTags(new[] { new KeyValuePair<string, string>(ModelFolder.HistoryTag, KeyRules.TagValue(ModelFolder.HistoryValue(current.RunId, created))) });
    }

    /// <summary>The run's trained model and its checkpoints, as they lie in the run folder.</summary>
    private IEnumerable<(string File, string Artifact)> Checkpoints()
    {
        string model = Path.Combine(runDirectory, "new-model.bin");
        if (File.Exists(model))
        {
            yield return (model, "checkpoints/new-model.bin");
        }

        string folder = Path.Combine(runDirectory, "checkpoints");
        if (Directory.Exists(folder))
        {
            foreach (string file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                yield return (file, "checkpoints/" + Path.GetRelativePath(folder, file).Replace('\\', '/'));
            }
        }
    }
}
