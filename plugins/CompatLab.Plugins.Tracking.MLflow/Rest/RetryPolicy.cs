namespace CompatLab.Plugins.Tracking.MLflow.Rest;

/// <summary>How often and how patiently a transiently failing request is tried again: exponential backoff, bounded.</summary>
internal sealed record RetryPolicy(int MaxRetries, TimeSpan FirstDelay, TimeSpan MaxDelay)
{
    public static RetryPolicy From(MlflowTrackerOptions options) =>
        new(options.MaxRetries, TimeSpan.FromMilliseconds(options.RetryDelayMs), TimeSpan.FromSeconds(30));

    /// <summary>The wait before retry number <paramref name="retry"/> (1-based), with a little jitter so many workers do not retry in step.</summary>
    public TimeSpan DelayBefore(int retry)
    {
        double doubled = FirstDelay.TotalMilliseconds * Math.Pow(2, Math.Min(retry - 1, 20));
        double capped = Math.Min(doubled, MaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.9 + (0.2 * Random.Shared.NextDouble())));
    }
}
