namespace CompatLab.Plugins.Tracking.MLflow.FileStore;

/// <summary>A run's meta.yaml in MLflow's file store, with the fields older readers still need (run_uuid, source_*).</summary>
internal sealed record RunMeta(string ArtifactUri, string ExperimentId, string RunId, string RunName, string UserId, long StartTime, long? EndTime, int Status)
{
    public const int LocalSource = 4;

    public static RunMeta Parse(string text)
    {
        var values = Yaml.Read(text);
        string Text(string key) => values.TryGetValue(key, out string? value) ? value ?? string.Empty : string.Empty;
        long? Number(string key) => long.TryParse(Text(key), out long value) ? value : null;
        return new RunMeta(
            Text("artifact_uri"), Text("experiment_id"), Text("run_id").Length > 0 ? Text("run_id") : Text("run_uuid"), Text("run_name"), Text("user_id"),
            Number("start_time") ?? 0, Number("end_time"), (int)(Number("status") ?? RunStatusCode.Running));
    }

    public string ToYaml() => Yaml.Document(new Dictionary<string, string>
    {
        ["artifact_uri"] = Yaml.Scalar(ArtifactUri),
        ["deleted_time"] = "null",
        ["end_time"] = Yaml.Scalar(EndTime),
        ["entry_point_name"] = "''",
        ["experiment_id"] = Quoted(ExperimentId),
        ["lifecycle_stage"] = "active",
        ["run_id"] = Quoted(RunId),
        ["run_name"] = Yaml.Scalar(RunName),
        ["run_uuid"] = Quoted(RunId),
        ["source_name"] = "''",
        ["source_type"] = Yaml.Scalar(LocalSource),
        ["source_version"] = "''",
        ["start_time"] = Yaml.Scalar(StartTime),
        ["status"] = Yaml.Scalar(Status),
        ["tags"] = "[]",
        ["user_id"] = Yaml.Scalar(UserId),
    });

    /// <summary>
    /// Ids are strings that may look like numbers (experiment ids always do, a hex run id can); read unquoted they
    /// would turn into integers, so they are always quoted.
    /// </summary>
    public static string Quoted(string id) => "'" + id.Replace("'", "''", StringComparison.Ordinal) + "'";
}
