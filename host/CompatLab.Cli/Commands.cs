using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using CompatLab.Abstractions;
using CompatLab.Abstractions.Plugins;
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
        var runner = new ExperimentRunner(session.Catalog, System.Console.Error);
        var finished = new List<(RunResult Result, string OldModelKey)>();
        var failures = new List<string>();
        foreach (var experiment in session.Experiments)
        {
            cancel.ThrowIfCancellationRequested();
            try
            {
                finished.Add((runner.Run(experiment, file, arguments.Force, cancel), experiment.OldModelKey));
            }
            catch (Exception e) when (session.Experiments.Count > 1 && e is not OperationCanceledException)
            {
                // One failing cell must not stop the others; it is reported in the summary and the exit code.
                failures.Add($"{experiment.Label}: {e.Message}");
                System.Console.Error.WriteLine($"error: cell {experiment.Label} failed: {e.Message}");
            }
        }

        var results = finished.Select(f => f.Result).ToList();
        string table = ResultsTable.Markdown(results, MatrixSummary.UpdateGains(finished));
        if (session.Experiments.Count > 1)
        {
            var spec = session.Experiments[0].Spec;
            string summaryFolder = Path.Combine(spec.Output, spec.Name);
            AtomicFile.WriteAllText(Path.Combine(summaryFolder, "summary.md"), table + string.Concat(failures.Select(f => $"\nfailed: {f}")) + "\n");
            AtomicFile.WriteAllText(Path.Combine(summaryFolder, "summary.json"), JsonSerializer.Serialize(new { results, failures }, JsonFormats.Indented));
        }

        System.Console.WriteLine();
        System.Console.WriteLine(table);
        foreach (string failure in failures)
        {
            System.Console.WriteLine($"failed: {failure}");
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

    public static int Plugins(CliArguments arguments)
    {
        using var catalog = PluginCatalog.Load(new[] { PluginCatalog.DefaultDirectory }.Concat(arguments.PluginDirectories));
        foreach (var plugin in catalog.Plugins.OrderBy(p => p.Kind).ThenBy(p => p.Name, StringComparer.Ordinal))
        {
            System.Console.WriteLine($"{plugin.KindName,-11} {plugin.Name,-16} {plugin.Version,-8} {plugin.AssemblyName} ({plugin.AssemblyPath})");
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
            // The tracker contract has no replay call: a tracker that spools offers a public static
            // int SyncSpools(string runsDirectory, TextWriter messages), found by that name.
            var sync = tracker.Implementation.GetMethod("SyncSpools", BindingFlags.Public | BindingFlags.Static, new[] { typeof(string), typeof(TextWriter) });
            if (sync is null || sync.ReturnType != typeof(int))
            {
                continue;
            }

            syncing++;
            waiting += (int)sync.Invoke(null, BindingFlags.DoNotWrapExceptions, null, new object[] { runs, System.Console.Out }, null)!;
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
