using System.Globalization;
using System.Text.Json.Nodes;
using CompatLab.Abstractions;
using CompatLab.Engine.Plugins;
using CompatLab.Engine.Reproducibility;
using CompatLab.Engine.Runs;

namespace CompatLab.Cli;

/// <summary>
/// `compatlab repro RUN_DIR`: the run again from its saved configuration in a fresh folder, then its results
/// compared with the original's (exit 0 when every value agrees to 1e-6, else 1 with a table of the differences).
/// `compatlab results check DOC SUMMARY`: the table a run printed must appear in a document unchanged.
/// </summary>
public static class ReproCommand
{
    public static int Run(CliArguments arguments, CancellationToken cancel)
    {
        var folders = arguments.Words.Skip(1).ToList();
        if (folders.Count != 1)
        {
            throw new CompatLabUserException($"'compatlab repro' takes one run folder, got {folders.Count}; see 'compatlab --help'");
        }

        var original = ReproRun.Open(folders[0]);
        string output = Path.Combine(Path.GetFullPath(original.Folder), "repro", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
        var spec = original.BindSpec(output);
        using var catalog = PluginCatalog.Load(new[] { PluginCatalog.DefaultDirectory }.Concat(spec.Plugins.Directories).Concat(arguments.PluginDirectories));
        var experiment = original.Resolve(catalog, output);
        System.Console.Error.WriteLine($"repro: running {original.Folder} again in {experiment.RunFolder}");
        new ExperimentRunner(catalog, System.Console.Error).Run(experiment, original.ConfigPath, force: false, cancel);

        var rerun = JsonNode.Parse(File.ReadAllText(Path.Combine(experiment.RunFolder, "results.json")));
        var differences = ResultComparison.Compare(original.Results, rerun);
        int compared = ResultComparison.Flatten(original.Results).Count;
        var changes = ReproRun.EnvironmentChanges(RunManifest.Read(original.Folder), RunManifest.Read(experiment.RunFolder));
        if (changes.Count > 0)
        {
            System.Console.WriteLine("The environment differs from the original run's (manifest.json):\n");
            System.Console.WriteLine(ResultComparison.Table(changes));
        }

        if (differences.Count == 0)
        {
            System.Console.WriteLine($"reproduced: all {compared} values of {original.Folder}/results.json agree to {ResultComparison.DefaultTolerance:G} (rerun in {experiment.RunFolder})");
            return 0;
        }

        System.Console.WriteLine($"not reproduced: {differences.Count} of {compared} values differ by more than {ResultComparison.DefaultTolerance:G} (rerun in {experiment.RunFolder})\n");
        System.Console.WriteLine(ResultComparison.Table(differences));
        return 1;
    }

    /// <summary>`compatlab results check DOC PRINTED`: exit 0 when DOC shows the first table of PRINTED (a summary.md or a saved run output) unchanged.</summary>
    public static int CheckTable(CliArguments arguments)
    {
        var files = arguments.Words.Skip(2).ToList();
        if (files.Count != 2)
        {
            throw new CompatLabUserException($"'compatlab results check' takes a document and a run's printed table (e.g. runs/<name>/summary.md), got {files.Count} file(s); see 'compatlab --help'");
        }

        foreach (string file in files.Where(f => !File.Exists(f)))
        {
            throw new CompatLabUserException($"{file}: no such file");
        }

        var problems = MarkdownTableCheck.Compare(File.ReadAllText(files[0]), File.ReadAllText(files[1]));
        if (problems.Count == 0)
        {
            System.Console.WriteLine($"{files[0]} shows the table of {files[1]} unchanged");
            return 0;
        }

        System.Console.WriteLine($"{files[0]} does not show the table of {files[1]}:");
        foreach (string problem in problems)
        {
            System.Console.WriteLine("  " + problem);
        }

        return 1;
    }
}
