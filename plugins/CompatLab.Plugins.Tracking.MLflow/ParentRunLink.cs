using CompatLab.Plugins.Tracking.MLflow.Spool;

namespace CompatLab.Plugins.Tracking.MLflow;

/// <summary>
/// Links a run to its parent (a matrix's run) in MLflow's way, the mlflow.parentRunId tag. The host names the
/// parent by its run folder (tag <see cref="FolderTag"/>), since only the tracker knows MLflow ids: they are read
/// from the bookkeeping the parent's tracker left there for the same target.
/// </summary>
internal static class ParentRunLink
{
    public const string FolderTag = "compatlab.parent_run_folder";
    public const string ParentTag = "mlflow.parentRunId";

    /// <summary>The parent's MLflow run id on this target, or null when there is no parent or it is not known (yet).</summary>
    public static string? Find(IReadOnlyDictionary<string, string> tags, string targetId)
    {
        if (!tags.TryGetValue(FolderTag, out string? folder) || folder.Length == 0)
        {
            return null;
        }

        return RunBookkeeping.Load(Path.Combine(folder, "mlflow", targetId))?.RunId;
    }
}
