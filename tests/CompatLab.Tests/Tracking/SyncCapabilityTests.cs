using CompatLab.Tests.Support;
using Xunit;

namespace CompatLab.Tests.Tracking;

/// <summary>`compatlab tracking sync` calls every loaded tracker that implements ISyncableTracker, and only those.</summary>
public class SyncCapabilityTests
{
    private const string Source = """
        using System.Collections.Generic;
        using System.IO;
        using CompatLab.Abstractions.Plugins;
        using CompatLab.Abstractions.Tracking;

        namespace OutsideTrackers;

        public abstract class QuietTracker : IExperimentTracker
        {
            public void StartRun(TrackedRun run) { }
            public void LogParams(IReadOnlyDictionary<string, string> parameters) { }
            public void LogMetrics(IReadOnlyList<MetricPoint> points) { }
            public void SetTags(IReadOnlyDictionary<string, string> tags) { }
            public void LogArtifact(string localPath, string artifactPath) { }
            public void EndRun(RunStatus status) { }
            public void Dispose() { }
        }

        [CompatLabPlugin(PluginKind.Tracker, "spooling")]
        public sealed class SpoolingTracker : QuietTracker, ISyncableTracker
        {
            public int SyncSpools(string runsDirectory, TextWriter messages)
            {
                messages.WriteLine($"spooling: synced {Path.GetFileName(runsDirectory)}");
                return 2;
            }
        }

        [CompatLabPlugin(PluginKind.Tracker, "plain")]
        public sealed class PlainTracker : QuietTracker
        {
            public static int SyncSpools(string runsDirectory, TextWriter messages)
            {
                messages.WriteLine("plain: found by name");
                return 0;
            }
        }
        """;

    [Fact]
    public void SyncCallsTheTrackersThatOfferTheCapabilityAndPassesOnWhatStillWaits()
    {
        using var scratch = new ScratchFolder();
        string plugins = Path.Combine(scratch.Root, "plugins");
        AssemblyCompiler.Compile(
            Path.Combine(plugins, "OutsideTrackers", "OutsideTrackers.dll"),
            "OutsideTrackers",
            Source,
            Path.Combine(AppContext.BaseDirectory, "CompatLab.Abstractions.dll"));
        Directory.CreateDirectory(scratch.PathOf("my-runs"));

        var (exitCode, output, error) = CliProcess.Run(scratch.Root, "tracking", "sync", "my-runs", "--plugins", plugins);

        Assert.True(exitCode == 1, output + error); // the spooling tracker says 2 records still wait
        Assert.Contains("spooling: synced my-runs", output);
        Assert.DoesNotContain("found by name", output); // a static method of that name is no longer looked for
    }
}
