using System.Reflection;
using CompatLab.Engine.Runs;

namespace CompatLab.Cli.Runtime;

/// <summary>
/// The last resort for a fault of CompatLab itself (not bad input, an output problem or a plugin): one line on
/// screen naming where the stack was written, instead of the runtime's raw stack trace and exit code 134.
/// </summary>
public static class InternalErrorReport
{
    /// <summary>The exit code of an internal error (2 is the user's to act on, 1 a matrix with failed cells).</summary>
    public const int ExitCode = 3;

    /// <summary>Where the stack goes when the fault happened outside a run folder: the working directory.</summary>
    public const string FallbackLog = "compatlab-error.log";

    /// <summary>
    /// Reports an exception that escapes on another thread (a timer, a worker's reader) the same way, then ends the
    /// process with <see cref="ExitCode"/>; without this the runtime prints the raw stack and aborts (exit 134).
    /// </summary>
    public static void CatchOnOtherThreads() =>
        AppDomain.CurrentDomain.UnhandledException += (_, e) =>
        {
            if (e.ExceptionObject is Exception exception)
            {
                Report(exception, System.Console.Error, Environment.CurrentDirectory);
                Environment.Exit(ExitCode);
            }
        };

    public static int Report(Exception e, TextWriter screen, string workingDirectory)
    {
        string log = e is InternalRunError run ? run.LogPath : Append(Path.Combine(workingDirectory, FallbackLog), e);
        screen.WriteLine($"internal error: {Message(e)} (details in {log})");
        return ExitCode;
    }

    private static string Message(Exception e)
    {
        // Wrappers that add nothing to what the user reads: the message is the cause's.
        var shown = e is TargetInvocationException or AggregateException or TypeInitializationException ? e.GetBaseException() : e;
        string message = shown.Message.ReplaceLineEndings(" ").Trim();
        return message.Length > 0 ? message : shown.GetType().Name;
    }

    private static string Append(string path, Exception e)
    {
        try
        {
            File.AppendAllText(path, $"{DateTimeOffset.UtcNow:O} compatlab {string.Join(' ', Environment.GetCommandLineArgs().Skip(1))}\n{e}\n\n");
            return Path.GetFullPath(path);
        }
        catch (Exception io) when (io is IOException or UnauthorizedAccessException)
        {
            return $"nowhere: {path} could not be written ({io.Message})";
        }
    }
}
