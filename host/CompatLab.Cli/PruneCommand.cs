using CompatLab.Engine.Runtime;
using System.Globalization;
using CompatLab.Abstractions;
using CompatLab.Abstractions.Data;
using CompatLab.Abstractions.Models;
using CompatLab.Abstractions.Plugins;
using CompatLab.Abstractions.Training;
using CompatLab.Engine.Data;
using CompatLab.Engine.Evaluation;
using CompatLab.Engine.Plugins;
using CompatLab.Engine.Pruning;
using CompatLab.Engine.Runs;
using CompatLab.Engine.Tracking;
using TorchSharp;

namespace CompatLab.Cli;

/// <summary>
/// `compatlab prune RUN_DIR --capacity ...`: prunes a finished run's new model to every capacity asked for and
/// writes the pruned models and their evaluation. Output goes to a staging folder first and is moved into place
/// only when complete, so a failure or an interrupt leaves nothing partial behind.
/// </summary>
public static class PruneCommand
{
    public const int DefaultRecalibrationBatches = 50;
    public const string ChartFile = "map-vs-capacity.png";

    public static int Run(CliArguments arguments, CancellationToken cancel)
    {
        var folders = arguments.Words.Skip(1).ToList();
        if (folders.Count != 1)
        {
            throw new CompatLabUserException($"'compatlab prune' takes one run folder, got {folders.Count}; see 'compatlab --help'");
        }

        var prune = arguments.Prune;
        var (capacities, scope, recalibration) = ReadFlags(prune);
        var run = FinishedRun.Open(folders[0]);
        // The run's saved configuration and any --set/--device go through the binder exactly as for 'compatlab run'.
        var spec = run.BindSpec(arguments.Sets);
        RuntimeSetup.Prepare(spec.Device, spec.Runtime);
        using var catalog = PluginCatalog.Load(new[] { PluginCatalog.DefaultDirectory }.Concat(spec.Plugins.Directories).Concat(arguments.PluginDirectories));
        var experiment = run.Resolve(catalog, arguments.Sets);
        torch.set_num_threads(Engine.Runtime.ThreadBudget.ForThisProcess(spec.Threads, workers: 1).Torch);
        FreshMemoryFill.ApplyFromEnvironment();
        var device = torch.device(spec.Device);

        using var dataset = ((IDatasetProvider)catalog.Create(experiment.Dataset.Descriptor, experiment.Dataset.Options)).Load(new DatasetLoadContext(spec.Seed));
        using var training = ProtocolSplit.NewStage(dataset);
        var backbone = (IBackboneFactory)catalog.Create(experiment.NewBackbone.Descriptor, experiment.NewBackbone.Options);
        using var model = run.LoadNewModel(backbone, dataset, spec, device);
        var (criterionName, criterion) = ChooseCriterion(catalog, prune.Criterion, run.Folder, MaskableLayers.In(model).Any(l => l.Scores is not null));
        string output = prune.Out ?? Path.Combine(run.Folder, "pruned", $"{criterionName}-{PruningScopeNames.Name(scope)}{(recalibration == 0 ? "-norecal" : string.Empty)}");
        var options = GridOptions(spec, capacities, scope, recalibration);
        var evaluator = new CapacityGridEvaluator(criterion, options, device, System.Console.Error);
        System.Console.Error.WriteLine($"prune: {run.Folder} with {criterionName}, {PruningScopeNames.Name(scope)} scope, capacities {string.Join(", ", capacities.Select(Name))} -> {output}");

        var report = WriteAtomically(output, staging =>
        {
            var grid = evaluator.Evaluate(model, training, dataset.TestSet, (result, live, masks) =>
            {
                PrunedModelFiles.Save(live, masks, Path.Combine(staging, CapacityFolder(result.Capacity)));
                if (cancel.IsCancellationRequested)
                {
                    throw new OperationCanceledException($"prune stopped after capacity {Name(result.Capacity)}; nothing was written to {output}");
                }
            });
            return WriteReport(staging, new PruningReport(Path.GetFullPath(run.Folder), criterionName, PruningScopeNames.Name(scope), recalibration, spec.Seed, grid));
        });

        System.Console.WriteLine(report.Markdown());
        System.Console.WriteLine($"written to {output}");
        return 0;
    }

    /// <summary>The capacities, scope and recalibration flags; every problem of the flags is reported at once, as the binder reports a configuration's.</summary>
    private static (List<double> Capacities, PruningScope Scope, int Recalibration) ReadFlags(PruneArguments prune)
    {
        var problems = new List<string>();
        var capacities = Check(problems, () => ParseCapacities(prune.Capacities), []);
        var scope = Check(problems, () => PruningScopeNames.Parse(prune.Scope ?? "layer", "--scope"), PruningScope.Layer);
        int recalibration = Check(problems, () => ParseRecalibration(prune), 0);
        if (prune.Out is not null && File.Exists(prune.Out))
        {
            problems.Add($"--out: {prune.Out} is a file; give a folder to write the pruned models and results to");
        }

        if (problems.Count > 0)
        {
            throw new CompatLabUserException(problems.Count == 1 ? problems[0] : $"{problems.Count} problems with the prune options:\n  " + string.Join("\n  ", problems));
        }

        return (capacities, scope, recalibration);
    }

    /// <summary>The parsed value, or <paramref name="fallback"/> with the problem recorded.</summary>
    private static T Check<T>(List<string> problems, Func<T> parse, T fallback)
    {
        try
        {
            return parse();
        }
        catch (CompatLabUserException e)
        {
            problems.Add(e.Message);
            return fallback;
        }
    }

    /// <summary>The criterion asked for, else learned scores when the model has them, else magnitude.</summary>
    private static (string Name, IPruningCriterion Criterion) ChooseCriterion(PluginCatalog catalog, string? asked, string runFolder, bool hasScores)
    {
        var choices = CliDefaults.Current.Prune;
        string name = asked ?? (hasScores ? choices.CriterionWithScores : choices.CriterionWithoutScores);
        var plugin = catalog.Find(PluginKind.PruningCriterion, name, "--criterion");
        if (choices.CriteriaNeedingScores.Contains(name) && !hasScores)
        {
            var others = catalog.OfKind(PluginKind.PruningCriterion).Select(p => p.Name).Where(n => !choices.CriteriaNeedingScores.Contains(n)).Order(StringComparer.Ordinal);
            throw new CompatLabUserException(
                $"--criterion {name}: the new model of {runFolder} was trained without learned scores (not a PrunNet run); prune it with --criterion {string.Join(" or ", others)}");
        }

        return (name, (IPruningCriterion)catalog.Create(plugin, plugin.OptionsType is null ? null : Activator.CreateInstance(plugin.OptionsType)));
    }

    /// <summary>The run's own batch size, seed and retrieval settings, so pruned scores compare with the run's.</summary>
    private static CapacityGridOptions GridOptions(Engine.Configuration.ExperimentSpec spec, List<double> capacities, PruningScope scope, int recalibration) => new()
    {
        Capacities = capacities,
        Scope = scope,
        RecalibrationBatches = recalibration,
        BatchSize = spec.New.Training.BatchSize,
        Seed = spec.Seed,
        Evaluation = new RetrievalEvaluatorOptions { QueryChunkSize = spec.Evaluation.ChunkSize, MapAtK = spec.Evaluation.MapAtK, RecallAtK = spec.Evaluation.RecallAtK.ToList() },
    };

    private static PruningReport WriteReport(string staging, PruningReport report)
    {
        AtomicFile.WriteAllText(Path.Combine(staging, "results.json"), report.Json());
        AtomicFile.WriteAllText(Path.Combine(staging, "results.csv"), report.Csv());
        AtomicFile.WriteAllText(Path.Combine(staging, "results.md"), report.Markdown());
        PruningChart.Save(Path.Combine(staging, ChartFile), report);
        return report;
    }

    /// <summary>The folder a capacity's pruned model goes to: capacity-0.2, capacity-1.</summary>
    public static string CapacityFolder(double capacity) => "capacity-" + Name(capacity);

    private static string Name(double capacity) => capacity.ToString(CultureInfo.InvariantCulture);

    private static T WriteAtomically<T>(string output, Func<string, T> write)
    {
        string staging = Path.TrimEndingDirectorySeparator(Path.GetFullPath(output)) + $".partial-{Environment.ProcessId}";
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true);
        }

        Directory.CreateDirectory(staging);
        try
        {
            var result = write(staging);
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }

            Directory.Move(staging, output);
            return result;
        }
        catch
        {
            Directory.Delete(staging, recursive: true);
            throw;
        }
    }

    private static List<double> ParseCapacities(string? text)
    {
        if (text is null)
        {
            throw new CompatLabUserException("'compatlab prune' needs --capacity, e.g. --capacity 0.2 or --capacity 1,0.8,0.6,0.4,0.2");
        }

        var capacities = new List<double>();
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out double capacity))
            {
                throw new CompatLabUserException($"--capacity: '{part}' is not a number; expected fractions of weights to keep in (0, 1], separated by commas");
            }

            if (!double.IsFinite(capacity) || capacity <= 0 || capacity > 1)
            {
                throw new CompatLabUserException($"--capacity: {part} is out of range; a capacity is the fraction of weights to keep, in (0, 1]");
            }

            if (capacities.Contains(capacity))
            {
                throw new CompatLabUserException($"--capacity: {part} is listed twice");
            }

            capacities.Add(capacity);
        }

        return capacities;
    }

    private static int ParseRecalibration(PruneArguments prune)
    {
        if (prune.NoRecalibrate && prune.RecalibrateBatches is not null)
        {
            throw new CompatLabUserException("--no-recalibrate and --recalibrate-batches contradict each other; give one");
        }

        if (prune.NoRecalibrate)
        {
            return 0;
        }

        if (prune.RecalibrateBatches is null)
        {
            return DefaultRecalibrationBatches;
        }

        return int.TryParse(prune.RecalibrateBatches, NumberStyles.None, CultureInfo.InvariantCulture, out int batches)
            ? batches
            : throw new CompatLabUserException($"--recalibrate-batches: expected a whole number of training batches (0 turns recalibration off), got '{prune.RecalibrateBatches}'");
    }
}
