using System.Diagnostics;
using System.Text;
using CompatLab.Abstractions;
using CompatLab.Engine.Runs;

namespace CompatLab.Engine.Matrix;

/// <summary>
/// Submits the cells as one Slurm job array (task i runs `compatlab run FILE --cell LABEL_i`), follows it with
/// squeue until no task is left, then reads every cell's outcome from its run folder. Ctrl+C cancels the array.
/// </summary>
public sealed class SlurmDispatcher : ICellDispatcher
{
    private readonly Func<ResolvedExperiment, ProcessStartInfo> command;
    private readonly IReadOnlyList<string> sbatchArguments;
    private readonly TextWriter messages;
    private readonly TimeSpan poll;
    private readonly Action<IDictionary<string, string?>> toolEnvironment;

    /// <param name="toolEnvironment">Adjusts the environment sbatch, squeue and scancel get (and sbatch passes on to the
    /// jobs): the CLI takes out what its own start-up added for this machine only.</param>
    public SlurmDispatcher(Func<ResolvedExperiment, ProcessStartInfo> command, IReadOnlyList<string> sbatchArguments, TextWriter messages, TimeSpan poll, Action<IDictionary<string, string?>>? toolEnvironment = null)
    {
        this.command = command;
        this.sbatchArguments = sbatchArguments;
        this.messages = messages;
        this.poll = poll;
        this.toolEnvironment = toolEnvironment ?? (_ => { });
    }

    public IReadOnlyList<CellOutcome> Run(IReadOnlyList<ResolvedExperiment> cells, CancellationToken cancel)
    {
        if (cells.Count == 0)
        {
            return Array.Empty<CellOutcome>();
        }

        var spec = cells[0].Spec;
        string folder = Path.GetFullPath(Path.Combine(spec.Output, spec.Name, "slurm"));
        string logs = Path.GetFullPath(Path.Combine(spec.Output, spec.Name, "logs"));
        Directory.CreateDirectory(folder);
        Directory.CreateDirectory(logs);
        string script = Path.Combine(folder, $"array-{DateTime.UtcNow:yyyyMMddHHmmss}.sh");
        File.WriteAllText(script, Script(cells, logs, spec.Name));

        var submit = new List<string> { "--parsable", $"--array=0-{cells.Count - 1}" };
        submit.AddRange(sbatchArguments);
        submit.Add(script);
        string jobId = Tool("sbatch", submit).Split(';')[0].Trim();
        messages.WriteLine($"slurm: submitted job array {jobId} with {cells.Count} tasks (script {script}, logs {logs})");

        string last = string.Empty;
        try
        {
            while (true)
            {
                cancel.ThrowIfCancellationRequested();
                string queue = Tool("squeue", new[] { "-h", "-j", jobId, "-o", "%T" });
                var states = queue.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                if (states.Length == 0)
                {
                    break;
                }

                string summary = string.Join(", ", states.GroupBy(s => s).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Count()} {g.Key.ToLowerInvariant()}"));
                if (summary != last)
                {
                    messages.WriteLine($"slurm: job {jobId}: {summary}");
                    last = summary;
                }

                Thread.Sleep(poll);
            }
        }
        catch (OperationCanceledException)
        {
            Tool("scancel", new[] { jobId });
            messages.WriteLine($"slurm: cancelled job {jobId}");
            throw;
        }

        return cells.Select((cell, i) =>
        {
            string log = Path.Combine(logs, $"slurm-{jobId}_{i}.log");
            return CellOutcome.FromRunFolder(cell, $"Slurm task {jobId}_{i} ended without results; see {log}", log);
        }).ToList();
    }

    private static string Quote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private string Tool(string name, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(name) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        toolEnvironment(info.Environment);
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(info)!;
            string output = process.StandardOutput.ReadToEnd();
            string error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new CompatLabUserException($"slurm: '{name} {string.Join(' ', info.ArgumentList)}' failed (exit {process.ExitCode}): {error.Trim()}");
            }

            return output;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new CompatLabUserException($"--slurm needs Slurm's {name} on PATH, and it was not found");
        }
    }

    private string Script(IReadOnlyList<ResolvedExperiment> cells, string logs, string name)
    {
        var text = new StringBuilder();
        text.AppendLine("#!/bin/bash");
        text.AppendLine($"#SBATCH --job-name=compatlab-{name}");
        text.AppendLine($"#SBATCH --output={logs}/slurm-%A_%a.log");
        text.AppendLine($"cd {Quote(Directory.GetCurrentDirectory())}");
        text.AppendLine("case \"$SLURM_ARRAY_TASK_ID\" in");
        for (int i = 0; i < cells.Count; i++)
        {
            var info = command(cells[i]);
            text.AppendLine($"  {i}) exec {Quote(info.FileName)} {string.Join(' ', info.ArgumentList.Select(Quote))} ;;");
        }

        text.AppendLine("  *) echo \"no cell for task $SLURM_ARRAY_TASK_ID\" >&2; exit 2 ;;");
        text.AppendLine("esac");
        return text.ToString();
    }
}
