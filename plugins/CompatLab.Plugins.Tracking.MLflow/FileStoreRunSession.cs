using CompatLab.Abstractions.Tracking;
using CompatLab.Plugins.Tracking.MLflow.FileStore;
using CompatLab.Plugins.Tracking.MLflow.Spool;

namespace CompatLab.Plugins.Tracking.MLflow;

/// <summary>A run written straight into a file store; a resume finds it again through the run folder's run.json.</summary>
internal sealed class FileStoreRunSession : IRunSession
{
    /// <summary>Set on a run whose artifacts could not be stored, with the reason.</summary>
    public const string ArtifactProblemTag = "compatlab.artifacts_not_stored";

    private readonly FileStoreRun run;
    private readonly Action<string> warn;

    private FileStoreRunSession(FileStoreRun run, Action<string> warn)
    {
        this.run = run;
        this.warn = warn;
    }

    public static FileStoreRunSession Start(TrackedRun tracked, TrackingTarget target, string experimentName, Action<string> warn)
    {
        string folder = Path.Combine(tracked.RunDirectory, "mlflow", target.Id);
        Directory.CreateDirectory(folder);
        var store = new MlflowFileStore(target.StoreRoot!);
        var book = RunBookkeeping.Load(folder);
        var tags = RunTags.Initial(tracked, target.Id);
        if (book is { ExperimentId: { } experimentId, RunId: { } runId } && book.RunKey == tracked.RunKey && store.OpenRun(experimentId, runId) is { } existing)
        {
            existing.SetStatus(RunStatus.Running, null);
            existing.SetTags(tags);
            FileStoreInputs.Write(Path.Combine(store.Root, existing.ExperimentId), existing, tracked.Inputs);
            return new FileStoreRunSession(existing, warn);
        }

        string experiment = store.GetOrCreateExperiment(experimentName);
        var run = store.CreateRun(experiment, tracked.RunName, Environment.UserName, MlflowFileStore.Now(), tags);
        new RunBookkeeping
        {
            RunKey = tracked.RunKey,
            Target = target.Display,
            ExperimentName = experimentName,
            RunName = tracked.RunName,
            ExperimentId = run.ExperimentId,
            RunId = run.RunId,
        }.Save(folder);
        FileStoreInputs.Write(Path.Combine(store.Root, experiment), run, tracked.Inputs);
        return new FileStoreRunSession(run, warn);
    }

    public void LogParams(IReadOnlyList<KeyValuePair<string, string>> parameters) => run.LogParams(parameters, warn);

    public void LogMetrics(IReadOnlyList<MetricPoint> points) => run.LogMetrics(points);

    public void SetTags(IReadOnlyList<KeyValuePair<string, string>> tags) => run.SetTags(tags);

    public string? RunId => run.RunId;

    public void LogArtifact(string localPath, string artifactPath)
    {
        try
        {
            run.LogArtifact(localPath, artifactPath);
        }
        catch (IOException e)
        {
            // Never a silent loss: the warning says why, and the run itself carries the gap for whoever opens it.
            warn(e.Message);
            run.SetTags(new[] { new KeyValuePair<string, string>(ArtifactProblemTag, KeyRules.TagValue(e.Message)) });
        }
    }

    public void EndRun(RunStatus status) => run.SetStatus(status, MlflowFileStore.Now());

    public void Dispose()
    {
    }
}
