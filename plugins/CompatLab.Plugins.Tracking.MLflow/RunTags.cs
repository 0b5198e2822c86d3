using CompatLab.Abstractions.Tracking;

namespace CompatLab.Plugins.Tracking.MLflow;

/// <summary>The tags a run starts with: the host's, plus MLflow's own that its UI shows (user, source).</summary>
internal static class RunTags
{
    /// <param name="targetId">The tracking target's id, to find the parent run's id on the same target.</param>
    public static List<KeyValuePair<string, string>> Initial(TrackedRun run, string targetId)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["mlflow.user"] = Environment.UserName,
            ["mlflow.source.name"] = "compatlab",
            ["mlflow.source.type"] = "LOCAL",
        };
        foreach (var (key, value) in run.Tags)
        {
            tags[key] = value;
        }

        if (ParentRunLink.Find(run.Tags, targetId) is { } parent)
        {
            tags[ParentRunLink.ParentTag] = parent;
        }

        return KeyRules.Tags(tags);
    }
}
