using System.Diagnostics;
using CompatLab.Abstractions;
using CompatLab.Engine.Runs;

namespace CompatLab.Engine.Matrix;

/// <summary>
/// Submits the cells as Slurm job arrays (task i runs `compatlab run FILE --cell LABEL_i`; cells on a GPU in an array
/// of their own whose tasks ask for a GPU, <see cref="SlurmArrayScript"/>), follows them with squeue until no task
/// is left, then reads every cell's outcome from its run folder. Ctrl+C cancels the arrays.
/// </summary>
public sealed class SlurmDispatcher : ICellDispatcher
{
    private readonly Func<ResolvedExperiment, ProcessStartInfo> command;
    private readonly IReadOnlyList<string> sbatchArguments;
    private readonly TextWriter messages;
    private readonly TimeSpan poll;
    private readonly Action<IDictionary<string, string?>> toolEnvironment;
    private readonly string? gres;
    private readonly Func<string, IReadOnlyList<string>, string> tool;

    /// <param name="toolEnvironment">Adjusts the environment sbatch, squeue and scancel get (and sbatch passes on to the
    /// jobs): the CLI takes out what its own start-up added for this machine only.</param>
    /// <param name="gres">What each task of a cell on a GPU asks for (e.g. gpu:1); null: no task asks for any.</param>
    /// <param name="tool">Runs a Slurm tool (name, arguments) and returns its output; null: the real one from PATH.
    /// Tests pass a fake to see what would be submitted.</param>
    public SlurmDispatcher(Func<ResolvedExperiment, ProcessStartInfo> command, IReadOnlyList<string> sbatchArguments, TextWriter messages, TimeSpan poll, Action<IDictionary<string, string?>>? toolEnvironment = null, string? gres = null, Func<string, IReadOnlyList<string>, string>? tool = null)
    {
        this.command = command;
        this.sbatchArguments = sbatchArguments;
        this.messages = messages;
        this.poll = poll;
        this.toolEnvironment = toolEnvironment ?? (_ => { });
        this.gres = gres;
        this.tool = tool ?? RunTool;
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
        var outcomes = new CellOutcome?[cells.Count];
        var submitted = new List<(IReadOnlyList<int> Cells, string JobId)>();
        try
        {
            foreach (var array in SlurmArrayScript.Arrays(cells, gres))
            {
                submitted.Add((array.Cells, Submit(array.Cells.Select(i => cells[i]).ToList(), array.Gres, folder, logs, spec.Name)));
            }
        }
        catch (CompatLabUserException) when (submitted.Count > 0)
        {
            Tool("scancel", submitted.Select(s => s.JobId).ToList()); // half a matrix submitted is not what was asked for
            throw;
        }

        Follow(submitted.Select(s => s.JobId).ToList(), cancel);
        foreach (var (indices, jobId) in submitted)
        {
            for (int task = 0; task < indices.Count; task++)
            {
                string log = Path.Combine(logs, $"slurm-{jobId}_{task}.log");
                outcomes[indices[task]] = CellOutcome.FromRunFolder(cells[indices[task]], $"Slurm task {jobId}_{task} ended without results; see {log}", log);
            }
        }

        return outcomes.Select(o => o!).ToList();
    }

    private string Submit(IReadOnlyList<ResolvedExperiment> cells, string? taskGres, string folder, string logs, string name)
    {
        string script = Path.Combine(folder, $"array-{DateTime.UtcNow:yyyyMMddHHmmss}{(taskGres is null ? string.Empty : "-gpu")}.sh");
        File.WriteAllText(script, SlurmArrayScript.Text(cells, command, logs, name, taskGres, Directory.GetCurrentDirectory()));
        var submit = new List<string> { "--parsable", $"--array=0-{cells.Count - 1}" };
        submit.AddRange(sbatchArguments);
        submit.Add(script);
        string jobId = Tool("sbatch", submit).Split(';')[0].Trim();
        string asks = taskGres is null ? string.Empty : $", each asking for --gres={taskGres}";
        messages.WriteLine($"slurm: submitted job array {jobId} with {cells.Count} tasks{asks} (script {script}, logs {logs})");
        return jobId;
    }

    private void Follow(IReadOnlyList<string> jobIds, CancellationToken cancel)
    {
        string jobs = string.Join(',', jobIds);
        string last = string.Empty;
        try
        {
            while (true)
            {
                cancel.ThrowIfCancellationRequested();
                string queue = Tool("squeue", new[] { "-h", "-j", jobs, "-o", "%T" });
                var states = queue.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                if (states.Length == 0)
                {
                    return;
                }

                string summary = string.Join(", ", states.GroupBy(s => s).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Count()} {g.Key.ToLowerInvariant()}"));
                if (summary != last)
                {
                    messages.WriteLine($"slurm: job {jobs}: {summary}");
                    last = summary;
                }

                Thread.Sleep(poll);
            }
        }
        catch (OperationCanceledException)
        {
            Tool("scancel", jobIds);
            messages.WriteLine($"slurm: cancelled job {jobs}");
            throw;
        }
    }

    private string Tool(string name, IReadOnlyList<string> arguments) => tool(name, arguments);

    private string RunTool(string name, IReadOnlyList<string> arguments)
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
}
