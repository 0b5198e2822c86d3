namespace CompatLab.Engine.Reproducibility;

/// <summary>
/// MLflow's source tags for a run, taken from the repository that holds the experiment file (not the working
/// directory: the file is what was run). A file outside any repository gets none.
/// </summary>
public static class SourceTags
{
    public const string Commit = "mlflow.source.git.commit";
    public const string Branch = "mlflow.source.git.branch";
    public const string Name = "mlflow.source.name";
    public const string Dirty = "compatlab.git_dirty";

    public static void Add(IDictionary<string, string> tags, GitRepository? repository, string experimentFile)
    {
        if (repository is null)
        {
            return;
        }

        tags[Commit] = repository.Commit;
        tags[Name] = repository.RelativePath(experimentFile);
        if (repository.Branch is { } branch)
        {
            tags[Branch] = branch;
        }

        if (repository.Dirty is { } dirty)
        {
            tags[Dirty] = dirty ? "true" : "false";
        }
    }
}
