namespace CompatLab.Engine.Runtime;

/// <summary>
/// Which native allocator serves this process, for the manifest, the run tags and 'compatlab doctor'. The CLI
/// starts itself again on jemalloc when it is installed (CompatLab.Cli.Runtime.JemallocRestart); a library cannot
/// choose its process's allocator, so the engine only reports it.
/// </summary>
public static class Jemalloc
{
    /// <summary>Read once: a process's allocator is fixed when it starts.</summary>
    private static readonly Lazy<string> Active = new(ReadActiveAllocator);

    /// <summary>"jemalloc" when it serves this process's allocations, else "glibc" on Linux, "system" elsewhere.</summary>
    public static string ActiveAllocator() => Active.Value;

    private static string ReadActiveAllocator()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "system";
        }

        try
        {
            return File.ReadLines("/proc/self/maps").Any(line => line.Contains("libjemalloc", StringComparison.Ordinal)) ? "jemalloc" : "glibc";
        }
        catch (IOException)
        {
            return "glibc";
        }
    }
}
