using System.Globalization;

namespace CompatLab.Engine.Matrix;

/// <summary>
/// A cell's log is kept per attempt: before a new attempt writes &lt;label&gt;.log, the previous one moves to
/// &lt;label&gt;.1.log, .2.log, ... (oldest first), so a rerun never overwrites why the last attempt failed.
/// </summary>
public static class AttemptLogs
{
    /// <summary>Moves an existing log at <paramref name="path"/> aside; returns where it went, or null if there was none.</summary>
    public static string? KeepPrevious(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        string stem = Path.Combine(Path.GetDirectoryName(path)!, Path.GetFileNameWithoutExtension(path));
        for (int attempt = 1; ; attempt++)
        {
            string kept = string.Create(CultureInfo.InvariantCulture, $"{stem}.{attempt}.log");
            if (!File.Exists(kept))
            {
                File.Move(path, kept);
                return kept;
            }
        }
    }
}
