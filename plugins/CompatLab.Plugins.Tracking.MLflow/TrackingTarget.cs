using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using CompatLab.Abstractions;

namespace CompatLab.Plugins.Tracking.MLflow;

/// <summary>Where a run is tracked: a tracking server's base address, or the root folder of a file store.</summary>
internal sealed partial class TrackingTarget
{
    public const string EnvironmentVariable = "MLFLOW_TRACKING_URI";

    private TrackingTarget(Uri? server, string? storeRoot)
    {
        Server = server;
        StoreRoot = storeRoot;
    }

    /// <summary>The server's base address, ending in '/'; null for a file store.</summary>
    public Uri? Server { get; }

    /// <summary>The file store's absolute root folder; null for a server.</summary>
    public string? StoreRoot { get; }

    public bool IsServer => Server is not null;

    public string Display => Server?.ToString() ?? StoreRoot!;

    /// <summary>A short name for this target's bookkeeping folder, so two trackers of one run never share it.</summary>
    public string Id => (IsServer ? "server-" : "files-") + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Display)))[..10];

    /// <summary>The configured URI, else the environment's, else the file store.</summary>
    public static TrackingTarget Resolve(string configured, string fileStore, string? fromEnvironment)
    {
        if (configured.Length > 0)
        {
            return Parse(configured, "Option 'trackingUri'");
        }

        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return Parse(fromEnvironment.Trim(), $"Environment variable {EnvironmentVariable}");
        }

        return new TrackingTarget(null, Path.GetFullPath(fileStore));
    }

    /// <summary>A server target as recorded in a spool (already checked when the run was tracked).</summary>
    public static TrackingTarget ForServer(Uri server) => new(server, null);

    public static string? Problem(string value, string source)
    {
        try
        {
            Parse(value, source);
            return null;
        }
        catch (CompatLabUserException e)
        {
            return e.Message;
        }
    }

    private static TrackingTarget Parse(string value, string source)
    {
        if (value.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
            {
                throw new CompatLabUserException($"{source}: \"{value}\" is not a valid server address; expected e.g. http://127.0.0.1:5000");
            }

            if (uri.UserInfo.Length > 0)
            {
                // Never echo the value: it holds a credential.
                throw new CompatLabUserException($"{source}: the server address carries credentials; remove them and set MLFLOW_TRACKING_USERNAME/MLFLOW_TRACKING_PASSWORD or MLFLOW_TRACKING_TOKEN instead");
            }

            if (uri.Query.Length > 0 || uri.Fragment.Length > 0)
            {
                throw new CompatLabUserException($"{source}: \"{value}\" has a query or fragment; expected only scheme, host, port and path");
            }

            string path = uri.AbsolutePath.EndsWith('/') ? uri.AbsolutePath : uri.AbsolutePath + "/";
            return new TrackingTarget(new UriBuilder(uri.Scheme, uri.Host, uri.Port, path).Uri, null);
        }

        if (value.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            string rest = value["file:".Length..];
            string local = rest.StartsWith("//", StringComparison.Ordinal) && Uri.TryCreate(value, UriKind.Absolute, out var fileUri) ? fileUri.LocalPath : rest;
            if (local.Length == 0)
            {
                throw new CompatLabUserException($"{source}: \"{value}\" names no folder; expected e.g. file:./mlruns or file:///data/mlruns");
            }

            return new TrackingTarget(null, Path.GetFullPath(local));
        }

        if (OtherScheme().IsMatch(value))
        {
            // Only the scheme is echoed: database URIs often carry a password.
            throw new CompatLabUserException(
                $"{source}: \"{value.Split(':')[0]}:\" URIs are not supported by the mlflow tracker; run 'mlflow server --backend-store-uri <that URI>' and point trackingUri at the server (http:// or https://), or use a file store (file:PATH)");
        }

        return new TrackingTarget(null, Path.GetFullPath(value));
    }

    // A scheme of two letters or more ("databricks", "sqlite:", "s3:"); one letter would be a Windows drive.
    [GeneratedRegex("^([A-Za-z][A-Za-z0-9+.-]+:|databricks$)")]
    private static partial Regex OtherScheme();
}
