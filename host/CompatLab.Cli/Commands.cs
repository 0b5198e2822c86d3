using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using CompatLab.Abstractions;
using CompatLab.Abstractions.Plugins;
using CompatLab.Abstractions.Tracking;
using CompatLab.Engine.Matrix;
using CompatLab.Engine.Plugins;
using CompatLab.Engine.Runs;
using CompatLab.Engine.Tracking;

namespace CompatLab.Cli;

/// <summary>The command handlers; each returns the process exit code.</summary>
public static class Commands
{
    public static int Run(CliArguments arguments, CancellationToken cancel)
    {
        string file = SingleFile(arguments, "run");
        using var session = ExperimentSession.Open(file, arguments);
        var cells = SelectCells(session, arguments.Cell);
        var spec = session.Experiments[0].Spec;
        string matrixFolder = Path.Combine(spec.Output, spec.Name);
        bool isMatrix = session.IsMatrix || session.Experiments.Count > 1;
        string? parentFolder = isMatrix ? MatrixParentRun.FolderFor(matrixFolder, session.Experiments) : null;
        var dispatcher = Dispatcher(session, file, arguments, parentFolder);

        // A cell run alone (--cell, a worker, a Slurm job) links to the matrix run but leaves starting it to the matrix.
        using var parent = isMatrix && arguments.Cell is null ? MatrixParentRun.Start(session.Catalog, session.Experiments, matrixFolder, file, System.Console.Error) : null;
        IReadOnlyList<CellOutcome> outcomes;
        try
        {
            outcomes = dispatcher.Run(cells, cancel);
        }
        catch (Exception e)
        {
            parent?.Finish(matrixFolder, e is OperationCanceledException ? RunStatus.Killed : RunStatus.Failed);
            throw;
        }

        string table;
        if (parent is not null)
        {
            table = MatrixReport.Write(matrixFolder, outcomes);
            parent.Finish(matrixFolder, outcomes.All(o => o.Succeeded) ? RunStatus.Finished : RunStatus.Failed);
        }
        else
        {
            var finished = outcomes.Where(o => o.Succeeded).Select(o => (o.Result!, o.Experiment.OldModelKey)).ToList();
            table = ResultsTable.Markdown(finished.Select(f => f.Item1).ToList(), MatrixSummary.UpdateGains(outcomes));
        }

        System.Console.WriteLine();
        System.Console.WriteLine(table);
        var failures = outcomes.Where(o => !o.Succeeded).ToList();
        foreach (var failure in failures)
        {
            System.Console.WriteLine($"failed: {failure.Experiment.Label}: {failure.Error}");
        }

        return failures.Count == 0 ? 0 : 1;
    }

    public static int ConfigShow(CliArguments arguments)
    {
        string file = SingleFile(arguments, "config show");
        using var session = ExperimentSession.Open(file, arguments);
        if (session.Experiments.Count == 1)
        {
            System.Console.WriteLine(session.Experiments[0].Resolved.ToJsonString(JsonFormats.Indented));
            return 0;
        }

        var cells = new JsonObject();
        foreach (var experiment in session.Experiments)
        {
            cells[experiment.Label] = experiment.Resolved.DeepClone();
        }

        System.Console.WriteLine(cells.ToJsonString(JsonFormats.Indented));
        return 0;
    }

    /// <summary>The lowest configuration layer, as the engine embeds it (docs/configuration.md, "Defaults").</summary>
    public static int ConfigDefaults()
    {
        System.Console.WriteLine(Engine.Configuration.DefaultsLayer.Text().TrimEnd());
        return 0;
    }

    public static int Plugins(CliArguments arguments)
    {
        using var catalog = PluginCatalog.Load(new[] { PluginCatalog.DefaultDirectory }.Concat(arguments.PluginDirectories));
        foreach (var plugin in catalog.Plugins.OrderBy(p => p.Kind).ThenBy(p => p.Name, StringComparer.Ordinal))
        {
            // The hash is part of every run's identity: a rebuilt assembly shows a new one here and gets new run folders.
            System.Console.WriteLine($"{plugin.KindName,-11} {plugin.Name,-16} {plugin.Version,-8} {plugin.AssemblyName} sha256 {plugin.AssemblySha256[..Math.Min(12, plugin.AssemblySha256.Length)]} ({plugin.AssemblyPath})");
            if (plugin.Description.Length > 0)
            {
                System.Console.WriteLine($"    {plugin.Description}");
            }

            foreach (var option in PluginOption.Describe(plugin.OptionsType))
            {
                System.Console.WriteLine($"    {option.Name} = {option.Default} ({option.Type}): {option.Description}");
            }
        }

        return 0;
    }

    private static IReadOnlyList<ResolvedExperiment> SelectCells(ExperimentSession session, string? label)
    {
        if (label is null)
        {
            return session.Experiments;
        }

        var cell = session.Experiments.FirstOrDefault(e => e.Label == label);
        return cell is not null
            ? new[] { cell }
            : throw new CompatLabUserException($"--cell {label}: no such cell in {session.File}{Engine.Configuration.NameSuggester.Hint(label, session.Experiments.Select(e => e.Label))}");
    }

    private static ICellDispatcher Dispatcher(ExperimentSession session, string file, CliArguments arguments, string? parentFolder)
    {
        DeviceOptions.Check(arguments);
        if (arguments.Slurm)
        {
            // sbatch passes its environment to the jobs, which may run on nodes without jemalloc where this one has it.
            return new SlurmDispatcher(cell => CellCommand(file, cell, arguments), arguments.SbatchArguments, System.Console.Error, TimeSpan.FromSeconds(2), Runtime.JemallocRestart.RemoveRestartSettings, SlurmArrayScript.GresFor(arguments.Gres));
        }

        // With --gpus every cell runs in a worker process: a GPU is handed to a process when it starts (CUDA_VISIBLE_DEVICES).
        if (arguments.Cell is null && ((arguments.Workers > 1 && session.Experiments.Count > 1) || arguments.Gpus is not null))
        {
            var gpus = WorkerGpus.Plan(session.Experiments, arguments.Gpus, Engine.Devices.VisibleGpus.FromLoadedLibtorch);
            return new LocalWorkerDispatcher(arguments.Workers, cell => CellCommand(file, cell, arguments, arguments.Workers), System.Console.Error, gpus);
        }

        return new InProcessDispatcher(new ExperimentRunner(session.Catalog, System.Console.Error) { ParentRunFolder = parentFolder, Workers = arguments.Cell is null ? 1 : arguments.Workers }, file, arguments.Force, System.Console.Error);
    }

    /// <summary>
    /// The command line that runs one cell in another process: this same program, file and overrides, and the number
    /// of local workers (<paramref name="sharing"/>) whose processes share the machine's cores.
    /// </summary>
    private static ProcessStartInfo CellCommand(string file, ResolvedExperiment cell, CliArguments arguments, int sharing = 1)
    {
        string host = Environment.ProcessPath ?? "dotnet";
        var info = new ProcessStartInfo(host);
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            info.ArgumentList.Add(typeof(Commands).Assembly.Location);
        }

        foreach (string word in new[] { "run", Path.GetFullPath(file), "--cell", cell.Label })
        {
            info.ArgumentList.Add(word);
        }

        foreach (string set in arguments.Sets)
        {
            info.ArgumentList.Add("--set");
            info.ArgumentList.Add(set);
        }

        foreach (string directory in arguments.PluginDirectories)
        {
            info.ArgumentList.Add("--plugins");
            info.ArgumentList.Add(Path.GetFullPath(directory));
        }

        if (arguments.Force)
        {
            info.ArgumentList.Add("--force");
        }

        if (sharing > 1)
        {
            info.ArgumentList.Add("--workers");
            info.ArgumentList.Add(sharing.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return info;
    }

    public static int TrackingSync(CliArguments arguments)
    {
        var folders = arguments.Words.Skip(2).ToList();
        if (folders.Count > 1)
        {
            throw new CompatLabUserException($"'compatlab tracking sync' takes at most one runs folder, got {folders.Count}; see 'compatlab --help'");
        }

        string runs = folders.FirstOrDefault() ?? "runs";
        using var catalog = PluginCatalog.Load(new[] { PluginCatalog.DefaultDirectory }.Concat(arguments.PluginDirectories));
        int waiting = 0;
        int syncing = 0;
        foreach (var tracker in catalog.OfKind(PluginKind.Tracker).OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            // Only trackers that spool take part; each spool names its own backend, so default options will do.
            if (!typeof(ISyncableTracker).IsAssignableFrom(tracker.Implementation))
            {
                continue;
            }

            using var syncable = (ISyncableTracker)catalog.Create(tracker, tracker.OptionsType is null ? null : Activator.CreateInstance(tracker.OptionsType));
            syncing++;
            waiting += syncable.SyncSpools(runs, System.Console.Out);
        }

        if (syncing == 0)
        {
            System.Console.WriteLine("tracking sync: no loaded tracker keeps a spool; nothing to send");
        }

        return waiting == 0 ? 0 : 1;
    }

    private static string SingleFile(CliArguments arguments, string command)
    {
        int skip = command.Split(' ').Length;
        var files = arguments.Words.Skip(skip).ToList();
        if (files.Count != 1)
        {
            throw new CompatLabUserException($"'compatlab {command}' takes one experiment file, got {files.Count}; see 'compatlab --help'");
        }

        return files[0];
    }
}
