using System.Diagnostics;

namespace CompatLab.Tests.Support;

/// <summary>Runs the real compatlab executable (built beside the tests) as a child process.</summary>
internal static class CliProcess
{
    public static string CliDll => Path.Combine(AppContext.BaseDirectory, "compatlab.dll");

    public static ProcessStartInfo StartInfo(string workingDirectory, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(CliDll);
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (string key in info.Environment.Keys.Where(k => k.StartsWith("COMPATLAB__", StringComparison.Ordinal) || k.StartsWith("MLFLOW_", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(key);
        }

        return info;
    }

    public static (int ExitCode, string Output, string Error) Run(string workingDirectory, params string[] args) =>
        Run(StartInfo(workingDirectory, args));

    /// <summary>Runs a start info from <see cref="StartInfo"/>, for tests that change its environment first.</summary>
    public static (int ExitCode, string Output, string Error) Run(ProcessStartInfo info)
    {
        string[] args = info.ArgumentList.Skip(1).ToArray();
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"compatlab {string.Join(' ', args)} did not finish in 5 minutes");
        }

        return (process.ExitCode, output.Result, error.Result);
    }
}
