namespace CompatLab.Plugins.Tracking.MLflow.Rest;

/// <summary>A run the server made: its id and where its artifacts go through the server's artifact proxy.</summary>
internal sealed record CreatedRun(string RunId, string ArtifactRoot)
{
    /// <summary>
    /// The proxy path of a run's artifacts. A proxied artifact URI (mlflow-artifacts:/1/abc/artifacts) gives it
    /// directly; anything else falls back to the default layout &lt;experiment&gt;/&lt;run&gt;/artifacts.
    /// </summary>
    public static string ProxyRoot(string? artifactUri, string experimentId, string runId)
    {
        const string Scheme = "mlflow-artifacts:";
        if (artifactUri is not null && artifactUri.StartsWith(Scheme, StringComparison.Ordinal))
        {
            string rest = artifactUri[Scheme.Length..];
            if (rest.StartsWith("//", StringComparison.Ordinal))
            {
                int slash = rest.IndexOf('/', 2);
                rest = slash < 0 ? string.Empty : rest[slash..];
            }

            if (rest.Trim('/').Length > 0)
            {
                return rest.Trim('/');
            }
        }

        return $"{experimentId}/{runId}/artifacts";
    }
}
