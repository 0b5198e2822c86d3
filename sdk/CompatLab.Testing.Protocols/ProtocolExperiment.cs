using System.Globalization;
using System.Reflection;
using CompatLab.Abstractions;
using CompatLab.Abstractions.Plugins;
using CompatLab.Engine.Configuration;
using CompatLab.Engine.Plugins;
using CompatLab.Engine.Runs;

namespace CompatLab.Testing;

/// <summary>
/// Runs a protocol plugin through a tiny experiment in this process, the way the CLI runs one: synthetic data
/// (4 classes of 24 training and 6 test images), a narrow cnn4, one epoch of batches of 8, bct, no trackers. The
/// conformance kit has no checks for protocols (they compose the engine's stages), so a protocol is tested by running
/// it. The protocol's assembly is loaded as a plugin from a folder of its own, next to the built-in plugins that
/// the test project copies beside itself (the protocol template imports the repository's build/CopyPlugins.targets).
/// Everything is written under <see cref="Folder"/>, a temporary folder deleted on Dispose.
/// </summary>
public sealed class ProtocolExperiment : IDisposable
{
    private readonly PluginCatalog catalog;
    private readonly StringWriter messages = new();

    private ProtocolExperiment(string folder, string pluginName, PluginCatalog catalog)
    {
        Folder = folder;
        PluginName = pluginName;
        this.catalog = catalog;
        ExperimentFile = Path.Combine(folder, "experiment.json");
        File.WriteAllText(ExperimentFile, Json(pluginName, Path.Combine(folder, "runs")));
    }

    public string Folder { get; }

    /// <summary>The protocol's name in its [CompatLabPlugin] attribute, which data.split.type names.</summary>
    public string PluginName { get; }

    public string ExperimentFile { get; }

    /// <summary>What the runs so far printed: the run header, training progress, reuse notices.</summary>
    public string Messages => messages.ToString();

    /// <summary>Loads <paramref name="protocol"/>'s assembly and the built-in plugins; nothing runs yet.</summary>
    public static ProtocolExperiment For(Type protocol)
    {
        var attribute = protocol.GetCustomAttribute<CompatLabPluginAttribute>();
        if (attribute?.Kind != PluginKind.Protocol)
        {
            throw new ArgumentException($"{protocol.FullName} is not marked [CompatLabPlugin(PluginKind.Protocol, ...)]", nameof(protocol));
        }

        if (!Directory.Exists(PluginCatalog.DefaultDirectory))
        {
            throw new InvalidOperationException(
                $"the built-in plugins are not beside the test ({PluginCatalog.DefaultDirectory} is missing); the test project copies them by importing the repository's build/CopyPlugins.targets");
        }

        string folder = Directory.CreateTempSubdirectory("compatlab-protocol-").FullName;
        try
        {
            var directories = new List<string> { PluginCatalog.DefaultDirectory };
            if (!IsBuiltIn(protocol.Assembly))
            {
                directories.Add(CopyAsPlugin(protocol.Assembly, Path.Combine(folder, "plugins")));
            }

            return new ProtocolExperiment(folder, attribute.Name, PluginCatalog.Load(directories));
        }
        catch
        {
            Directory.Delete(folder, recursive: true);
            throw;
        }
    }

    /// <summary>
    /// Runs the experiment (or finds it finished) and returns its result row. <paramref name="sets"/> are overrides
    /// as the CLI's --set writes them (<c>new.lambda=2</c>); a bad one throws <see cref="CompatLabUserException"/>.
    /// </summary>
    public RunResult Run(params string[] sets)
    {
        var document = ExperimentDocument.Load(ExperimentFile);
        var experiment = new ExperimentResolver(catalog).Resolve(document.CloneContent(), document.Provenance, sets, new Dictionary<string, string>(), "run");
        return new ExperimentRunner(catalog, messages).Run(experiment, ExperimentFile, force: false, CancellationToken.None);
    }

    public void Dispose()
    {
        catalog.Dispose();
        messages.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A native library or a memory-mapped file may still hold a file on some systems; a temp folder may stay.
        }
    }

    /// <summary>The experiment file: the protocol under data.split.type, every other plugin a built-in one.</summary>
    public static string Json(string protocol, string output) => string.Create(CultureInfo.InvariantCulture, $$"""
        {
          "name": "protocol-test", "seed": 1, "threads": 1, "output": "{{output.Replace('\\', '/')}}",
          "data": {
            "dataset": { "type": "synthetic", "options": { "classes": 4, "trainPerClass": 24, "testPerClass": 6, "size": 16 } },
            "split": { "type": "{{protocol}}" }
          },
          "model": { "backbone": { "type": "cnn4", "options": { "widths": [4, 4, 8, 8] } }, "embeddingDim": 8 },
          "old": { "training": { "epochs": 1, "batchSize": 8 } },
          "new": { "loss": { "type": "bct" }, "training": { "epochs": 1, "batchSize": 8 } },
          "tracking": { "trackers": [] }
        }
        """);

    private static bool IsBuiltIn(Assembly assembly)
    {
        string name = assembly.GetName().Name!;
        return File.Exists(Path.Combine(PluginCatalog.DefaultDirectory, name, name + ".dll"));
    }

    // One folder per plugin assembly, named like it, as the host expects; the contract, the engine and TorchSharp
    // are shared with this process, so only the protocol's own assembly (and its symbols) are copied.
    private static string CopyAsPlugin(Assembly assembly, string plugins)
    {
        string name = assembly.GetName().Name!;
        string target = Directory.CreateDirectory(Path.Combine(plugins, name)).FullName;
        File.Copy(assembly.Location, Path.Combine(target, name + ".dll"));
        string symbols = Path.ChangeExtension(assembly.Location, ".pdb");
        if (File.Exists(symbols))
        {
            File.Copy(symbols, Path.Combine(target, name + ".pdb"));
        }

        return plugins;
    }
}
