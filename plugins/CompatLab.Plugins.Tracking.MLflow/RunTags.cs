using CompatLab.Abstractions.Tracking;

namespace CompatLab.Plugins.Tracking.MLflow;

/// <summary>The tags a run starts with: the host's, plus MLflow's own that its UI shows (user, source).</summary>
internal static class RunTags
{
    public static List<KeyValuePair<string, string>> Initial(TrackedRun run)
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

        return KeyRules.Tags(tags);
    }
}
