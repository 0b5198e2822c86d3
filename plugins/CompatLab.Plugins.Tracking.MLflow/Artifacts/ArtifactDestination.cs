namespace CompatLab.Plugins.Tracking.MLflow.Artifacts;

/// <summary>
/// Where a run's artifacts must go, read from the run's artifact URI: through the server's artifact proxy
/// (mlflow-artifacts:), straight into a local folder (file: URIs and plain paths, as MLflow's own client writes
/// them), or somewhere this client cannot write (s3://, gs://, ...), which must be reported, never papered over.
/// </summary>
internal sealed record ArtifactDestination(ArtifactDestinationKind Kind, string Location, string ArtifactUri)
{
    private const string ProxyScheme = "mlflow-artifacts:";

    /// <param name="artifactUri">The run's artifact_uri as the tracking store reports it; null when it gave none.</param>
    /// <param name="experimentId">With the run id, the proxy path used when the URI is missing.</param>
    public static ArtifactDestination Of(string? artifactUri, string experimentId, string runId)
    {
        if (string.IsNullOrEmpty(artifactUri))
        {
            // Servers before MLflow 2 gave no URI to follow; their proxy layout is the only guess left.
            return new(ArtifactDestinationKind.Proxy, $"{experimentId}/{runId}/artifacts", string.Empty);
        }

        if (artifactUri.StartsWith(ProxyScheme, StringComparison.Ordinal))
        {
            return new(ArtifactDestinationKind.Proxy, ProxyPath(artifactUri[ProxyScheme.Length..], experimentId, runId), artifactUri);
        }

        if (artifactUri.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            string local = Uri.TryCreate(artifactUri, UriKind.Absolute, out var uri) && uri.IsFile ? uri.LocalPath : artifactUri["file:".Length..];
            return new(ArtifactDestinationKind.LocalFolder, local, artifactUri);
        }

        if (Path.IsPathRooted(artifactUri))
        {
            return new(ArtifactDestinationKind.LocalFolder, artifactUri, artifactUri);
        }

        return new(ArtifactDestinationKind.Unsupported, artifactUri, artifactUri);
    }

    /// <summary>Why an artifact cannot be stored here, for a warning and the run's tag; null when it can.</summary>
    public string? Problem => Kind == ArtifactDestinationKind.Unsupported
        ? $"the run's artifact root {ArtifactUri} is a remote store that compatlab cannot write to directly (it writes local folders and the server's proxy); start the server with --serve-artifacts --artifacts-destination {ArtifactUri.Split('/')[0]}//... so runs get mlflow-artifacts: roots, or use a local artifact root"
        : null;

    /// <summary>Copies one file into a local artifact folder, atomically, creating folders as MLflow's client does.</summary>
    public void CopyLocal(string localPath, string artifactPath)
    {
        string target = Path.Combine(Location, artifactPath);
        string folder = Path.GetDirectoryName(target)!;
        try
        {
            Directory.CreateDirectory(folder);
            string temporary = Path.Combine(folder, $".tmp-{Guid.NewGuid():N}");
            File.Copy(localPath, temporary, overwrite: true);
            File.Move(temporary, target, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"artifact '{artifactPath}' cannot be written to the run's artifact root {ArtifactUri} ({target}): {e.Message}", e);
        }
    }

    private static string ProxyPath(string rest, string experimentId, string runId)
    {
        if (rest.StartsWith("//", StringComparison.Ordinal))
        {
            int slash = rest.IndexOf('/', 2);
            rest = slash < 0 ? string.Empty : rest[slash..];
        }

        return rest.Trim('/').Length > 0 ? rest.Trim('/') : $"{experimentId}/{runId}/artifacts";
    }
}

internal enum ArtifactDestinationKind
{
    Proxy,
    LocalFolder,
    Unsupported,
}
