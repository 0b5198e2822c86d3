using System.Runtime.InteropServices;

using CompatLab.Engine.Runtime;

namespace CompatLab.Cli.Runtime;

/// <summary>
/// Runs the CLI on jemalloc when it is installed. A training step allocates all its activations and frees them
/// together; glibc's allocator fragments under that pattern, its heap growing for hundreds of steps to wherever it
/// settles (a resnet-mini training loop: 407-514 MB peak between runs, 0.6 to 1.9 GB before the networks released
/// their intermediates; bench/README.md), while jemalloc told never to hand freed pages back reuses them at a
/// steady, lower level (309-323 MB) at the same speed. An allocator is chosen when a process
/// starts, so the CLI starts itself again (execve: same process id, arguments and standard streams) with jemalloc
/// preloaded. <c>COMPATLAB_ALLOCATOR=glibc</c> keeps glibc (with <see cref="NativeHeap.KeepFreedMemory"/>).
/// It lives in the CLI because only a program's entry point may replace its process; the engine library only
/// reports which allocator serves it (<see cref="Jemalloc.ActiveAllocator"/>).
/// </summary>
public static class JemallocRestart
{
    public const string ChoiceVariable = "COMPATLAB_ALLOCATOR";

    /// <summary>Set on the restarted process, so a preload that did not take cannot restart it again.</summary>
    public const string RestartedVariable = "COMPATLAB_ALLOCATOR_RESTARTED";

    /// <summary>Freed pages stay with the process (no decay): returning them is what made every step fault them in again.</summary>
    public const string DefaultConfiguration = "dirty_decay_ms:-1,muzzy_decay_ms:-1";

    /// <summary>Where Debian (libjemalloc2) and other distributions install it.</summary>
    public static readonly IReadOnlyList<string> StandardLocations =
    [
        "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2",
        "/usr/lib/aarch64-linux-gnu/libjemalloc.so.2",
        "/usr/lib64/libjemalloc.so.2",
        "/usr/lib/libjemalloc.so.2",
        "/usr/local/lib/libjemalloc.so.2",
    ];

    /// <summary>The jemalloc library to preload, or null when the user chose glibc, it is not installed, or this is not Linux.</summary>
    public static string? LibraryToPreload(Func<string, string?> environment, Func<string, bool> fileExists)
    {
        string choice = environment(ChoiceVariable) ?? "auto";
        if (!OperatingSystem.IsLinux() || choice == "glibc" || environment(RestartedVariable) is not null)
        {
            return null;
        }

        if (choice != "auto")
        {
            // Anything else is a path to the library, for installations outside the standard places.
            return fileExists(choice) ? choice : null;
        }

        return StandardLocations.FirstOrDefault(fileExists);
    }

    /// <summary>The environment of the restarted process: the library first in LD_PRELOAD, the default configuration unless one is set.</summary>
    public static IReadOnlyDictionary<string, string> RestartEnvironment(IReadOnlyDictionary<string, string> current, string library)
    {
        var environment = new Dictionary<string, string>(current, StringComparer.Ordinal);
        environment["LD_PRELOAD"] = current.TryGetValue("LD_PRELOAD", out string? preload) && preload.Length > 0 ? $"{library}:{preload}" : library;
        if (!current.ContainsKey("MALLOC_CONF"))
        {
            environment["MALLOC_CONF"] = DefaultConfiguration;
        }

        environment[RestartedVariable] = "1";
        return environment;
    }

    /// <summary>
    /// Takes out what the restart added (the library at the front of LD_PRELOAD, the default MALLOC_CONF, the
    /// restart marker), for processes that start on other machines (Slurm jobs): they choose for themselves there,
    /// instead of asking for a library path that may not exist on that node.
    /// </summary>
    public static void RemoveRestartSettings(IDictionary<string, string?> environment)
    {
        if (!environment.Remove(RestartedVariable))
        {
            return;
        }

        if (environment.TryGetValue("LD_PRELOAD", out string? preload) && preload is not null)
        {
            int separator = preload.IndexOf(':', StringComparison.Ordinal);
            string rest = separator < 0 ? string.Empty : preload[(separator + 1)..];
            if (rest.Length == 0)
            {
                environment.Remove("LD_PRELOAD");
            }
            else
            {
                environment["LD_PRELOAD"] = rest;
            }
        }

        if (environment.TryGetValue("MALLOC_CONF", out string? configuration) && configuration == DefaultConfiguration)
        {
            environment.Remove("MALLOC_CONF");
        }
    }

    /// <summary>
    /// Replaces this process with itself on jemalloc when that applies; returns only when it does not (not Linux,
    /// glibc chosen, not installed, already restarted, or execve failed, in which case glibc serves as before).
    /// Call it first thing in Main, before any output or tensor.
    /// </summary>
    public static void RestartOnJemallocIfInstalled()
    {
        if (Jemalloc.ActiveAllocator() != "glibc")
        {
            return;
        }

        string? library = LibraryToPreload(Environment.GetEnvironmentVariable, File.Exists);
        if (library is null)
        {
            return;
        }

        string[] arguments;
        try
        {
            arguments = File.ReadAllText("/proc/self/cmdline").Split('\0', StringSplitOptions.None);
        }
        catch (IOException)
        {
            return;
        }

        // cmdline ends with a NUL, so the last piece is empty; execve wants a null-terminated array.
        var argv = arguments.Take(arguments.Length - 1).Cast<string?>().Append(null).ToArray();
        var current = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? string.Empty, StringComparer.Ordinal);
        var envp = RestartEnvironment(current, library).Select(e => (string?)$"{e.Key}={e.Value}").Append(null).ToArray();
        execve("/proc/self/exe", argv, envp);
    }

#pragma warning disable SA1300, IDE1006 // the C function's own name
    [DllImport("libc", ExactSpelling = true, SetLastError = true)]
    private static extern int execve(
        [MarshalAs(UnmanagedType.LPUTF8Str)] string path,
        [MarshalAs(UnmanagedType.LPArray, ArraySubType = UnmanagedType.LPStr)] string?[] argv, // LPStr is UTF-8 on Unix
        [MarshalAs(UnmanagedType.LPArray, ArraySubType = UnmanagedType.LPStr)] string?[] envp);
#pragma warning restore SA1300, IDE1006
}
