using CompatLab.Abstractions;
using CompatLab.Abstractions.Plugins;
using CompatLab.Abstractions.Tracking;
using CompatLab.Engine.Plugins;
using CompatLab.Tests.Support;

namespace CompatLab.Tests.Tracking;

/// <summary>The built mlflow tracker, created through the catalog as the host creates it.</summary>
internal static class MlflowPlugin
{
    private static readonly Lazy<PluginCatalog> Catalog = new(BuiltInPlugins.Load);

    public static PluginDescriptor Descriptor => Catalog.Value.Find(PluginKind.Tracker, "mlflow", "test");

    /// <summary>Options for a test against a server: quick retries, every call sent at once, the server retried at once.</summary>
    public static Dictionary<string, object> ServerOptions(Uri server) => new()
    {
        ["TrackingUri"] = server.ToString(),
        ["RetryDelayMs"] = 5,
        ["MaxRetries"] = 2,
        ["RequestTimeoutSeconds"] = 5.0,
        ["FlushIntervalSeconds"] = 0.0,
        ["ReconnectAfterSeconds"] = 0.0,
    };

    public static IExperimentTracker Create(IReadOnlyDictionary<string, object> options)
    {
        var descriptor = Descriptor;
        object bound = Activator.CreateInstance(descriptor.OptionsType!)!;
        foreach (var (name, value) in options)
        {
            descriptor.OptionsType!.GetProperty(name)!.SetValue(bound, value);
        }

        try
        {
            return (IExperimentTracker)Catalog.Value.Create(descriptor, bound);
        }
        catch (Exception e) when (Innermost(e) is CompatLabUserException user)
        {
            // The container wraps a constructor's exception more than once; the user's mistake is the innermost.
            throw user;
        }
    }

    /// <summary>What 'compatlab tracking sync' calls: the tracker's <see cref="ISyncableTracker.SyncSpools"/>, default options.</summary>
    public static int Sync(string runsDirectory, TextWriter messages)
    {
        using var tracker = (ISyncableTracker)Create(new Dictionary<string, object>());
        return tracker.SyncSpools(runsDirectory, messages);
    }

    public static TrackedRun Run(string runDirectory, string key = "abc123def456", string experiment = "tiny") =>
        new(experiment, $"run-{key}", key, runDirectory, new Dictionary<string, string> { ["compatlab.content_hash"] = key });

    private static Exception Innermost(Exception e) => e.InnerException is null ? e : Innermost(e.InnerException);
}
