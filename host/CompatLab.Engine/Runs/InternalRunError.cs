namespace CompatLab.Engine.Runs;

/// <summary>
/// A run ended by a fault in CompatLab itself (neither bad input, an output problem nor a plugin): the run folder's
/// state.json says failed and the stack is in <see cref="LogPath"/>; the command line shows one line naming it.
/// </summary>
public sealed class InternalRunError : Exception
{
    public InternalRunError(string message, string logPath, Exception cause)
        : base(message, cause)
    {
        LogPath = logPath;
    }

    /// <summary>The file that holds the stack (the run's error.log).</summary>
    public string LogPath { get; }
}
