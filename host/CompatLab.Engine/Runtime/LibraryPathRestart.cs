using System.Runtime.InteropServices;

namespace CompatLab.Engine.Runtime;

/// <summary>
/// Restarts the process (execve: same id, arguments and streams) with a libtorch folder first on LD_LIBRARY_PATH.
/// The dynamic loader reads that variable only when a process starts, and it is what makes TorchSharp's shim
/// (whose RUNPATH names its own folder, searched after LD_LIBRARY_PATH) bind to the chosen libtorch when that
/// libtorch's sonames are versioned (Debian's libtorch.so.1.13) rather than the plain names the shim asks for.
/// </summary>
public static class LibraryPathRestart
{
    public const string RestartedVariable = "COMPATLAB_LIBTORCH_RESTARTED";

    /// <summary>Whether <paramref name="folder"/> already leads LD_LIBRARY_PATH, or a restart for it already happened.</summary>
    public static bool Needed(string folder, Func<string, string?> environment)
    {
        if (!OperatingSystem.IsLinux() || environment(RestartedVariable) == folder)
        {
            return false;
        }

        string first = (environment("LD_LIBRARY_PATH") ?? string.Empty).Split(':')[0];
        return first.TrimEnd('/') != folder.TrimEnd('/');
    }

    public static IReadOnlyDictionary<string, string> Environment(IReadOnlyDictionary<string, string> current, string folder)
    {
        var environment = new Dictionary<string, string>(current, StringComparer.Ordinal);
        environment["LD_LIBRARY_PATH"] = current.TryGetValue("LD_LIBRARY_PATH", out string? path) && path.Length > 0 ? $"{folder}:{path}" : folder;
        environment[RestartedVariable] = folder;
        environment[LibTorchLocator.Variable] = folder;
        return environment;
    }

    /// <summary>Replaces this process when the folder is not yet on LD_LIBRARY_PATH; returns when it is, or execve failed.</summary>
    public static void RestartIfNeeded(string folder)
    {
        if (!Needed(folder, System.Environment.GetEnvironmentVariable))
        {
            return;
        }

        string[] arguments = File.ReadAllText("/proc/self/cmdline").Split('\0');
        var argv = arguments.Take(arguments.Length - 1).Cast<string?>().Append(null).ToArray();
        var current = System.Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? string.Empty, StringComparer.Ordinal);
        var envp = Environment(current, folder).Select(e => (string?)$"{e.Key}={e.Value}").Append(null).ToArray();
        System.Console.Out.Flush();
        System.Console.Error.Flush();
        execve("/proc/self/exe", argv, envp);
    }

#pragma warning disable SA1300, IDE1006 // the C function's own name
    [DllImport("libc", ExactSpelling = true, SetLastError = true)]
    private static extern int execve(
        [MarshalAs(UnmanagedType.LPUTF8Str)] string path,
        [MarshalAs(UnmanagedType.LPArray, ArraySubType = UnmanagedType.LPStr)] string?[] argv,
        [MarshalAs(UnmanagedType.LPArray, ArraySubType = UnmanagedType.LPStr)] string?[] envp);
#pragma warning restore SA1300, IDE1006
}
