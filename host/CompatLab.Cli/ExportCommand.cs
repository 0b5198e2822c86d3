using System.Text.Json.Nodes;
using CompatLab.Abstractions;
using CompatLab.Abstractions.Data;
using CompatLab.Abstractions.Models;
using CompatLab.Engine.Plugins;
using CompatLab.Engine.Runs;
using CompatLab.Engine.Weights;
using TorchSharp;
using CompatLab.Engine.Models;

namespace CompatLab.Cli;

/// <summary>
/// `compatlab export RUN_DIR --out FILE.safetensors`: a finished run's new model as safetensors plus a JSON
/// description (backbone, options, input shape, key layout and the run's configuration), for PyTorch users.
/// </summary>
public static class ExportCommand
{
    public static int Run(CliArguments arguments)
    {
        var folders = arguments.Words.Skip(1).ToList();
        if (folders.Count != 1)
        {
            throw new CompatLabUserException($"'compatlab export' takes one run folder, got {folders.Count}; see 'compatlab --help'");
        }

        string output = arguments.Prune.Out
            ?? throw new CompatLabUserException("'compatlab export' needs --out FILE.safetensors, the file to write the model to");
        if (!output.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase))
        {
            throw new CompatLabUserException($"--out: '{output}' must end in .safetensors (the description is written beside it as .json)");
        }

        var run = FinishedRun.Open(folders[0]);
        var spec = run.BindSpec(arguments.Sets);
        using var catalog = PluginCatalog.Load(new[] { PluginCatalog.DefaultDirectory }.Concat(spec.Plugins.Directories).Concat(arguments.PluginDirectories));
        var experiment = run.Resolve(catalog, arguments.Sets);
        using var dataset = ((IDatasetProvider)catalog.Create(experiment.Dataset.Descriptor, experiment.Dataset.Options)).Load(new DatasetLoadContext(spec.Seed));
        var backbone = (IBackboneFactory)catalog.Create(experiment.NewBackbone.Descriptor, experiment.NewBackbone.Options);
        using var model = run.LoadNewModel(backbone, dataset, spec, torch.CPU);

        var description = new JsonObject
        {
            ["backbone"] = experiment.NewBackbone.Descriptor.Name,
            ["input"] = new JsonArray(dataset.Channels, dataset.Height, dataset.Width),
            ["run"] = Path.GetFullPath(run.Folder),
            ["config"] = run.Config.DeepClone(),
        };
        ModelExport.Write(model.Network, output, description, model.Classifier);
        System.Console.WriteLine($"export: {run.Folder} -> {output} and {ModelExport.DescriptionPath(output)}");
        return 0;
    }
}
