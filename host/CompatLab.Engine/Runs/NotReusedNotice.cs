using CompatLab.Abstractions.Plugins;
using CompatLab.Engine.Reproducibility;

namespace CompatLab.Engine.Runs;

/// <summary>
/// Says why an earlier run of the same cell is not reused: same resolved configuration, but a plugin assembly it
/// used has changed since (the run identity includes each plugin assembly's hash). Read from the earlier run's
/// manifest.json, which records every plugin's assembly and SHA-256.
/// </summary>
public static class NotReusedNotice
{
    /// <summary>"not reusing runs/x/bct-1a2b (plugin bct's assembly changed: A.dll 3f2c..→9c1d..)", or null.</summary>
    public static string? For(ResolvedExperiment experiment)
    {
        string experimentFolder = Path.Combine(experiment.Spec.Output, experiment.Spec.Name);
        if (Directory.Exists(experiment.RunFolder) || !Directory.Exists(experimentFolder))
        {
            return null; // this very run is reused or resumed, or nothing ran before
        }

        var current = CurrentPlugins(experiment);
        string prefix = experiment.Label + "-";
        string config = experiment.Resolved.ToJsonString();
        var earlier = Directory.EnumerateDirectories(experimentFolder)
            .Where(folder => Path.GetFileName(folder) is { } name && name.StartsWith(prefix, StringComparison.Ordinal) && name.Length == prefix.Length + experiment.ContentHash.Length)
            .Select(folder => (Folder: folder, Manifest: ReadQuietly(folder)))
            .Where(r => r.Manifest is not null && r.Manifest.Config.ToJsonString() == config)
            .OrderByDescending(r => r.Manifest!.CreatedUtc)
            .FirstOrDefault();
        if (earlier.Manifest is null)
        {
            return null;
        }

        var changes = Changes(earlier.Manifest.Plugins, current).ToList();
        string why = changes.Count > 0 ? string.Join("; ", changes) : "the host or a plugin assembly changed";
        return $"not reusing {earlier.Folder} ({why})";
    }

    private static IEnumerable<string> Changes(IReadOnlyList<PluginAssembly> before, IReadOnlyList<PluginAssembly> now)
    {
        foreach (var plugin in now)
        {
            var old = before.FirstOrDefault(p => p.Kind == plugin.Kind && p.Name == plugin.Name);
            if (old is null)
            {
                continue;
            }

            if (old.Sha256 != plugin.Sha256)
            {
                yield return $"plugin {plugin.Name}'s assembly changed: {Path.GetFileName(plugin.Path)} {PluginIdentity.Short(old.Sha256)}→{PluginIdentity.Short(plugin.Sha256)}";
            }
            else if (old.Version != plugin.Version)
            {
                yield return $"plugin {plugin.Name}'s version changed: {old.Version}→{plugin.Version}";
            }
        }
    }

    /// <summary>The plugins that enter the run's identity (trackers do not: they cannot change results).</summary>
    private static List<PluginAssembly> CurrentPlugins(ResolvedExperiment experiment) =>
        experiment.Plugins.Concat(experiment.PrunNet?.Evaluation.Criteria.Select(c => c.Criterion) ?? [])
            .Where(p => p.Descriptor.Kind != PluginKind.Tracker)
            .DistinctBy(p => (p.Descriptor.Kind, p.Descriptor.Name))
            .Select(PluginAssembly.Of)
            .ToList();

    private static RunManifest? ReadQuietly(string folder)
    {
        try
        {
            return RunManifest.Read(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            return null; // a torn or foreign manifest explains nothing
        }
    }
}
