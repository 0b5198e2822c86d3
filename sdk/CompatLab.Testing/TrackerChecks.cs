using CompatLab.Abstractions.Tracking;

namespace CompatLab.Testing;

/// <summary>
/// The checks for a tracker: a whole run (params, metrics, tags, an artifact, the end) and a resumed one are
/// recorded without error. Trackers hold no tensors, so the tensor checks do not apply.
/// </summary>
internal static class TrackerChecks
{
    public static void Run(CheckRunner runner, PluginFactory factory, ConformanceSettings settings)
    {
        string folder = settings.WorkingFolder ?? Path.Combine(Path.GetTempPath(), $"compatlab-kit-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            runner.Run("records a whole run", () => Record(factory, folder, "kit-run", RunStatus.Finished));
            runner.Run("re-attaches to a run it saw before (resume)", () =>
            {
                Record(factory, folder, "kit-resumed", RunStatus.Failed);
                Record(factory, folder, "kit-resumed", RunStatus.Finished);
            });
            BadOptionsCheck.Run(runner, factory, settings, overrides => factory.Create<IExperimentTracker>(overrides).Dispose());
        }
        finally
        {
            if (settings.WorkingFolder is null)
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    private static void Record(PluginFactory factory, string folder, string runKey, RunStatus status)
    {
        string runDirectory = Path.Combine(folder, runKey);
        Directory.CreateDirectory(runDirectory);
        string artifact = Path.Combine(runDirectory, "note.txt");
        File.WriteAllText(artifact, "written by the conformance kit");
        using var tracker = factory.Create<IExperimentTracker>();
        tracker.StartRun(new TrackedRun("kit", runKey, runKey, runDirectory, new Dictionary<string, string> { ["kit"] = "yes" }));
        tracker.LogParams(new Dictionary<string, string> { ["lr"] = "0.1", ["loss"] = "bct" });
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        tracker.LogMetrics([new MetricPoint("train/loss", 1.5, 1, now), new MetricPoint("train/loss", 1.25, 2, now + 1)]);
        tracker.SetTags(new Dictionary<string, string> { ["stage"] = "new" });
        tracker.LogArtifact(artifact, "notes/note.txt");
        tracker.EndRun(status);
    }
}
