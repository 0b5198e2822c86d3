using System.Globalization;
using CompatLab.Abstractions;

namespace CompatLab.Engine.Runs;

/// <summary>
/// Keeps a second process off a run folder while one runs it (two writers tear its journal and checkpoints). The
/// lock is an open file the operating system locks exclusively and releases when its holder exits, however it
/// exits, so a lock left by a killed process is recovered by the next one; an owner file beside it names the
/// holder for the message. Both live in &lt;output&gt;/&lt;name&gt;/.locks/, outside the run folder, which --force deletes.
/// </summary>
public sealed class RunLock : IDisposable
{
    private readonly FileStream stream;
    private readonly string ownerPath;

    private RunLock(FileStream stream, string ownerPath)
    {
        this.stream = stream;
        this.ownerPath = ownerPath;
    }

    /// <summary>Takes the lock of <paramref name="runFolder"/>, waiting up to <paramref name="wait"/> for its holder.</summary>
    /// <exception cref="CompatLabUserException">Another live process still holds it after the wait.</exception>
    public static RunLock Acquire(string runFolder, TimeSpan wait, Action<string> report)
    {
        string full = Path.GetFullPath(runFolder).TrimEnd(Path.DirectorySeparatorChar);
        string locks = Path.Combine(Path.GetDirectoryName(full)!, ".locks");
        Directory.CreateDirectory(locks);
        string lockPath = Path.Combine(locks, Path.GetFileName(full) + ".lock");
        string ownerPath = Path.Combine(locks, Path.GetFileName(full) + ".owner");
        var deadline = DateTime.UtcNow + wait;
        bool told = false;
        while (true)
        {
            try
            {
                var stream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                ReportStale(ownerPath, report);
                File.WriteAllText(ownerPath, string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessId} {Environment.MachineName} {DateTimeOffset.UtcNow:O}"));
                return new RunLock(stream, ownerPath);
            }
            catch (IOException) when (HeldByAnother(lockPath))
            {
                if (DateTime.UtcNow >= deadline)
                {
                    throw new CompatLabUserException($"{runFolder} is being run by {Owner(ownerPath)}; wait for it to finish (or stop it), then run the same command again");
                }

                if (!told)
                {
                    report($"{runFolder} is being run by {Owner(ownerPath)}; waiting up to {wait.TotalSeconds:0} s for it");
                    told = true;
                }

                Thread.Sleep(250);
            }
        }
    }

    public void Dispose()
    {
        try
        {
            File.Delete(ownerPath);
        }
        catch (IOException)
        {
            // The lock itself is what counts; a stale owner file is reported and replaced by the next holder.
        }

        stream.Dispose();
    }

    /// <summary>Whether the lock file is locked by another holder (rather than failing for another reason).</summary>
    private static bool HeldByAnother(string lockPath)
    {
        try
        {
            using var probe = new FileStream(lockPath, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    private static string Owner(string ownerPath)
    {
        try
        {
            var parts = File.ReadAllText(ownerPath).Split(' ');
            return parts.Length >= 3 ? $"process {parts[0]} on {parts[1]} (since {parts[2]})" : "another process";
        }
        catch (IOException)
        {
            return "another process";
        }
    }

    private static void ReportStale(string ownerPath, Action<string> report)
    {
        if (File.Exists(ownerPath))
        {
            report($"recovered the lock left by {Owner(ownerPath)}, which ended without releasing it");
        }
    }
}
