namespace CompatLab.Engine.Runs;

/// <summary>The run folder's state.json: where a run stands, and why it stopped if it failed.</summary>
public sealed record RunState(string Status, string ContentHash, string OldModelKey, DateTimeOffset UpdatedAt, string? Error = null)
{
    public const string Running = "running";
    public const string Finished = "finished";
    public const string Failed = "failed";
    public const string Killed = "killed";
}
