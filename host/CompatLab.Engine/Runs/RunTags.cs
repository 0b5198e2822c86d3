using CompatLab.Engine.Reproducibility;

namespace CompatLab.Engine.Runs;

/// <summary>The tags every tracker gets for a run: identity, source, host, contract and each plugin's assembly and version.</summary>
internal static class RunTags
{
    public static Dictionary<string, string> Of(ResolvedExperiment experiment, string source, GitRepository? repository, string? parentRunFolder)
    {
        var tags = new Dictionary<string, string>
        {
            ["compatlab.content_hash"] = experiment.ContentHash,
            ["compatlab.old_model_key"] = experiment.OldModelKey,
            ["compatlab.source"] = source,
            ["compatlab.host"] = Environment.MachineName,
            ["compatlab.allocator"] = Runtime.Jemalloc.ActiveAllocator(),
            ["compatlab.contract"] = Abstractions.Plugins.ContractVersion.Current.ToString(2),
        };
        foreach (var plugin in experiment.Plugins)
        {
            tags[$"compatlab.plugin.{plugin.Descriptor.KindName}.{plugin.Descriptor.Name}"] = $"{plugin.Descriptor.AssemblyName} {plugin.Descriptor.Version}";
        }

        SourceTags.Add(tags, repository, source);
        if (parentRunFolder is not null)
        {
            tags["compatlab.parent_run_folder"] = Path.GetFullPath(parentRunFolder);
        }

        return tags;
    }
}
