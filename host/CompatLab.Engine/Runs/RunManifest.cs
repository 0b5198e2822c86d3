using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using CompatLab.Abstractions.Tracking;
using CompatLab.Engine.Reproducibility;
using CompatLab.Engine.Tracking;

namespace CompatLab.Engine.Runs;

/// <summary>
/// Everything needed to repeat a run and to explain a difference when a repeat disagrees, written as manifest.json
/// in the run folder when the run starts: the experiment file and the git state of its repository, each plugin
/// assembly's SHA-256, libtorch, the CPU and its instruction sets, threads, allocator, seed, data digests and the
/// resolved configuration, and the device it trained on (the GPU a matrix worker was given; absent in manifests
/// written before it was recorded). 'compatlab repro' reruns from it.
/// </summary>
public sealed record RunManifest(
    int FormatVersion,
    DateTimeOffset CreatedUtc,
    string ExperimentFile,
    string? ExperimentFileSha256,
    GitRepository? Git,
    string CompatLabVersion,
    string Contract,
    IReadOnlyList<PluginAssembly> Plugins,
    MachineFacts Machine,
    int Seed,
    IReadOnlyList<DatasetInput> Datasets,
    JsonObject Config,
    RunDevice? Device = null)
{
    public const string FileName = "manifest.json";

    public static RunManifest Capture(ResolvedExperiment experiment, string experimentFile, IReadOnlyList<DatasetInput> datasets, RunDevice? device = null) => new(
        1,
        DateTimeOffset.UtcNow,
        Path.GetFullPath(experimentFile),
        File.Exists(experimentFile) ? Sha256(experimentFile) : null,
        GitRepository.Containing(experimentFile),
        typeof(RunManifest).Assembly.GetName().Version?.ToString(3) ?? "unknown",
        Abstractions.Plugins.ContractVersion.Current.ToString(2),
        experiment.Plugins.Concat(experiment.PrunNet?.Evaluation.Criteria.Select(c => c.Criterion) ?? []).DistinctBy(p => (p.Descriptor.Kind, p.Descriptor.Name)).Select(PluginAssembly.Of).ToList(),
        MachineFacts.Current(),
        experiment.Spec.Seed,
        datasets,
        (JsonObject)experiment.Resolved.DeepClone(),
        device);

    public static RunManifest? Read(string runFolder)
    {
        string path = Path.Combine(runFolder, FileName);
        return File.Exists(path) ? JsonSerializer.Deserialize<RunManifest>(File.ReadAllText(path), JsonFormats.Indented) : null;
    }

    public void Write(string runFolder) =>
        AtomicFile.WriteAllText(Path.Combine(runFolder, FileName), JsonSerializer.Serialize(this, JsonFormats.Indented));

    internal static string Sha256(string file)
    {
        using var stream = File.OpenRead(file);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}

/// <summary>A plugin the run used and the exact assembly it came from.</summary>
public sealed record PluginAssembly(string Kind, string Name, string Version, string Assembly, string Path, string? Sha256)
{
    public static PluginAssembly Of(Plugins.BoundPlugin plugin)
    {
        var d = plugin.Descriptor;
        string? sha256 = d.AssemblySha256.Length > 0 ? d.AssemblySha256 : File.Exists(d.AssemblyPath) ? RunManifest.Sha256(d.AssemblyPath) : null;
        return new PluginAssembly(d.KindName, d.Name, d.Version, d.AssemblyName, d.AssemblyPath, sha256);
    }
}
