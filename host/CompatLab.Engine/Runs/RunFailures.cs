using System.Runtime.ExceptionServices;
using CompatLab.Abstractions;
using CompatLab.Engine.Plugins;
using CompatLab.Engine.Tracking;
using CompatLab.Engine.Training;

namespace CompatLab.Engine.Runs;

/// <summary>
/// Turns what ended a run into what the user should read: one line naming the plugin, its kind, the phase and the
/// message when a plugin threw; the path and the first error when the output could not be written (disk full,
/// read-only, no permission, a file where a folder belongs). Both become <see cref="CompatLabUserException"/>s
/// (exit code 2, no stack on screen); a plugin's stack goes to the run's error.log. Temporary files are removed.
/// Anything else is a fault of CompatLab itself: an <see cref="InternalRunError"/> once the run folder exists.
/// </summary>
public sealed class RunFailures
{
    public const string ErrorLog = "error.log";

    private readonly IReadOnlyList<PluginDescriptor> plugins;
    private readonly string runFolder;

    public RunFailures(IReadOnlyList<PluginDescriptor> plugins, string runFolder)
    {
        this.plugins = plugins;
        this.runFolder = runFolder;
    }

    /// <summary>The exception to report for <paramref name="e"/>: a clear one, or <paramref name="e"/> itself when it already is.</summary>
    public Exception Describe(Exception e)
    {
        if (e is CompatLabUserException or OperationCanceledException or InternalRunError)
        {
            return e;
        }

        var cause = e is TrainingStepException wrapped ? wrapped.InnerException! : e;
        string where = e is TrainingStepException step ? $" ({step.Stage} training, step {step.Step})" : string.Empty;
        if (OutOfDeviceMemoryException.Find(cause) is { } outOfMemory)
        {
            // A training step reports its own (with the batch size); this is the rest: embedding, evaluation, building.
            return new CompatLabUserException(
                $"ran out of device memory outside a training step{where}: lower evaluation.chunkSize (queries scored at once), "
                + $"or run on a device with more memory; checkpoints are kept, so the same command resumes. libtorch said: {outOfMemory.Message.Split('\n', 2)[0].Trim()}", e);
        }

        if (PluginFault.Find(cause, plugins) is { } fault)
        {
            string log = WriteErrorLog(e);
            return new CompatLabUserException($"{fault.Describe()} failed in {fault.Phase}{where}: {cause.Message} (stack in {log})", e);
        }

        if (cause is IOException or UnauthorizedAccessException)
        {
            SweepTemporaryFiles();
            return new CompatLabUserException($"cannot write the run's output: {OutputProblem(cause)}", cause);
        }

        // A fault of our own before the run folder exists leaves nothing behind; the command line logs it instead.
        return Directory.Exists(runFolder) ? new InternalRunError($"{cause.Message}{where}", WriteErrorLog(e), e) : cause;
    }

    /// <summary>Throws <paramref name="e"/> keeping its stack when it is the original exception.</summary>
    public static void Throw(Exception e) => ExceptionDispatchInfo.Capture(e).Throw();

    /// <summary>Runs a bookkeeping write (state.json, the trackers' end) that must not hide the error being reported.</summary>
    public static void Quietly(Action write)
    {
        try
        {
            write();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The run already failed; its first error is the one reported.
        }
    }

    /// <summary>Removes temporary files a failed write left in the run folder (AtomicFile cleans its own; this is the net).</summary>
    public void SweepTemporaryFiles()
    {
        if (!Directory.Exists(runFolder))
        {
            return;
        }

        foreach (string temporary in Directory.EnumerateFiles(runFolder, "*.tmp", SearchOption.AllDirectories))
        {
            AtomicFile.DeleteQuietly(temporary);
        }
    }

    /// <summary>The message names the path; a file standing where a folder must be gets said plainly.</summary>
    private static string OutputProblem(Exception e)
    {
        string message = e.Message;
        int quote = message.IndexOf('\'', StringComparison.Ordinal);
        int end = quote < 0 ? -1 : message.IndexOf('\'', quote + 1);
        if (end > quote + 1)
        {
            for (string? probe = message[(quote + 1)..end]; !string.IsNullOrEmpty(probe); probe = Path.GetDirectoryName(probe))
            {
                if (File.Exists(probe))
                {
                    return $"{probe} is a file, but a folder is needed there ({message})";
                }
            }
        }

        return message;
    }

    private string WriteErrorLog(Exception e)
    {
        string path = Path.Combine(runFolder, ErrorLog);
        try
        {
            Directory.CreateDirectory(runFolder);
            File.AppendAllText(path, $"{DateTimeOffset.UtcNow:O}\n{e}\n\n");
            return path;
        }
        catch (Exception io) when (io is IOException or UnauthorizedAccessException)
        {
            return $"nowhere: {path} could not be written ({io.Message})";
        }
    }
}
