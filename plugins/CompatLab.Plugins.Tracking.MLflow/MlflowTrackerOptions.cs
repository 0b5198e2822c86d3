using System.ComponentModel;
using CompatLab.Abstractions.Plugins;

namespace CompatLab.Plugins.Tracking.MLflow;

public sealed class MlflowTrackerOptions : IValidatableOptions
{
    [Description("A tracking server (http://host:port or https://...) or a file store (file:PATH or a path). Empty: the MLFLOW_TRACKING_URI environment variable, else the embedded file store in fileStore. Credentials come only from MLFLOW_TRACKING_TOKEN or MLFLOW_TRACKING_USERNAME/PASSWORD.")]
    public string TrackingUri { get; set; } = string.Empty;

    [Description("The embedded file store used when no tracking URI is set, relative to the working directory; 'mlflow ui --backend-store-uri <it>' opens it.")]
    public string FileStore { get; set; } = "mlruns";

    [Description("The MLflow experiment runs are logged into. Empty: the experiment's own name.")]
    public string ExperimentName { get; set; } = string.Empty;

    [Description("When a run ends, also store its new model and checkpoints as artifacts under checkpoints/.")]
    public bool LogCheckpoints { get; set; }

    [Description("Seconds one request to the tracking server may take.")]
    public double RequestTimeoutSeconds { get; set; } = 30;

    [Description("Retries of a request that failed transiently (5xx, 429, connection error, timeout) before records are spooled.")]
    public int MaxRetries { get; set; } = 4;

    [Description("Milliseconds before the first retry; the delay doubles with each retry, up to 30 s.")]
    public int RetryDelayMs { get; set; } = 500;

    [Description("Metrics are sent to a server at most every this many seconds (everything else at once); 0 sends every call.")]
    public double FlushIntervalSeconds { get; set; } = 5;

    [Description("After the server could not be reached, records are only spooled for this many seconds before it is tried again.")]
    public double ReconnectAfterSeconds { get; set; } = 60;

    public IEnumerable<string> Validate()
    {
        if (TrackingUri.Length > 0 && TrackingTarget.Problem(TrackingUri, "Option 'trackingUri'") is { } uriProblem)
        {
            yield return uriProblem;
        }

        // The environment's URI is checked here too, so a bad one is a configuration error found before any run starts.
        string? fromEnvironment = Environment.GetEnvironmentVariable(TrackingTarget.EnvironmentVariable);
        if (TrackingUri.Length == 0 && !string.IsNullOrWhiteSpace(fromEnvironment)
            && TrackingTarget.Problem(fromEnvironment.Trim(), $"Environment variable {TrackingTarget.EnvironmentVariable} (used while option 'trackingUri' is empty)") is { } environmentProblem)
        {
            yield return environmentProblem;
        }

        if (string.IsNullOrWhiteSpace(FileStore))
        {
            yield return "Option 'fileStore' must name a folder, e.g. \"mlruns\".";
        }

        if (!(double.IsFinite(RequestTimeoutSeconds) && RequestTimeoutSeconds > 0))
        {
            yield return $"Option 'requestTimeoutSeconds' must be a positive number of seconds; got {RequestTimeoutSeconds}.";
        }

        if (MaxRetries is < 0 or > 20)
        {
            yield return $"Option 'maxRetries' must be between 0 and 20; got {MaxRetries}.";
        }

        if (RetryDelayMs is < 0 or > 60_000)
        {
            yield return $"Option 'retryDelayMs' must be between 0 and 60000 milliseconds; got {RetryDelayMs}.";
        }

        if (!(double.IsFinite(FlushIntervalSeconds) && FlushIntervalSeconds >= 0))
        {
            yield return $"Option 'flushIntervalSeconds' must be 0 or a positive number of seconds; got {FlushIntervalSeconds}.";
        }

        if (!(double.IsFinite(ReconnectAfterSeconds) && ReconnectAfterSeconds >= 0))
        {
            yield return $"Option 'reconnectAfterSeconds' must be 0 or a positive number of seconds; got {ReconnectAfterSeconds}.";
        }
    }
}
