using System.Diagnostics;
using CompatLab.Engine.Runs;

namespace CompatLab.Engine.Matrix;

/// <summary>
/// Runs cells in up to N child processes at once (each `compatlab run FILE --cell LABEL`), each writing to its own
/// log under &lt;output&gt;/&lt;name&gt;/logs/ (earlier attempts' logs kept beside it, <see cref="AttemptLogs"/>). Cells that need the same old model wait for the one that trains it.
/// Each worker has a slot number; with <see cref="WorkerGpus"/> the slot decides which GPU a cuda cell runs on.
/// </summary>
public sealed class LocalWorkerDispatcher : ICellDispatcher
{
    private readonly int workers;
    private readonly Func<ResolvedExperiment, ProcessStartInfo> command;
    private readonly TextWriter messages;
    private readonly WorkerGpus? gpus;

    public LocalWorkerDispatcher(int workers, Func<ResolvedExperiment, ProcessStartInfo> command, TextWriter messages, WorkerGpus? gpus = null)
    {
        this.workers = Math.Max(1, workers);
        this.command = command;
        this.messages = messages;
        this.gpus = gpus;
    }

    public IReadOnlyList<CellOutcome> Run(IReadOnlyList<ResolvedExperiment> cells, CancellationToken cancel)
    {
        var outcomes = new CellOutcome?[cells.Count];
        var running = new List<(int Index, int Slot, Process Process, StreamWriter Log)>();
        int next = 0;
        try
        {
            while (next < cells.Count || running.Count > 0)
            {
                while (running.Count < workers && next < cells.Count && !cancel.IsCancellationRequested)
                {
                    int slot = Enumerable.Range(0, workers).First(s => running.All(r => r.Slot != s));
                    var (process, log) = Start(cells[next], slot);
                    running.Add((next, slot, process, log));
                    next++;
                }

                foreach (var (index, slot, process, log) in running.Where(r => r.Process.HasExited).ToList())
                {
                    running.Remove((index, slot, process, log));
                    process.WaitForExit(); // drains the redirected output into the log
                    log.Dispose();
                    outcomes[index] = CellOutcome.FromRunFolder(cells[index], $"worker exited with code {process.ExitCode}; see {LogPath(cells[index])}", LogPath(cells[index]));
                    messages.WriteLine($"cell {cells[index].Label}: {(outcomes[index]!.Succeeded ? "finished" : "FAILED")} ({running.Count} running, {cells.Count - next} waiting)");
                    process.Dispose();
                }

                if (cancel.IsCancellationRequested && next < cells.Count)
                {
                    next = cells.Count;
                }

                Thread.Sleep(200);
            }
        }
        finally
        {
            foreach (var (_, _, process, log) in running)
            {
                // Workers checkpoint on SIGTERM, so an interrupted matrix resumes where each cell stood.
                Process.Start("kill", $"-TERM {process.Id}")?.WaitForExit();
                process.WaitForExit();
                log.Dispose();
                process.Dispose();
            }
        }

        cancel.ThrowIfCancellationRequested();
        return outcomes.Select(o => o!).ToList();
    }

    public static string LogPath(ResolvedExperiment cell) => Path.Combine(cell.Spec.Output, cell.Spec.Name, "logs", $"{cell.Label}.log");

    private (Process Process, StreamWriter Log) Start(ResolvedExperiment cell, int slot)
    {
        string log = LogPath(cell);
        Directory.CreateDirectory(Path.GetDirectoryName(log)!);
        AttemptLogs.KeepPrevious(log);
        var info = command(cell);
        info.Environment[CoordinatorWatchdog.Variable] = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string? gpu = gpus?.Assign(cell, slot, info.Environment);
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        var process = new Process { StartInfo = info };
        var writer = new StreamWriter(log, append: false) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => Write(writer, e.Data);
        process.ErrorDataReceived += (_, e) => Write(writer, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        messages.WriteLine($"cell {cell.Label}: started{(gpu is null ? string.Empty : $" on {gpu}")} (pid {process.Id}, log {log})");
        return (process, writer);
    }

    private static void Write(StreamWriter writer, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (writer)
        {
            try
            {
                writer.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // The process ended and its log was closed; a late line is dropped.
            }
        }
    }
}
