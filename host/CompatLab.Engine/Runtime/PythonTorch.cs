using System.Diagnostics;

namespace CompatLab.Engine.Runtime;

/// <summary>Asks a Python interpreter where its torch package lives (importing torch takes a few seconds).</summary>
public static class PythonTorch
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>torch's package folder, or null when the interpreter is missing, has no torch, or fails.</summary>
    public static string? Folder(string python)
    {
        try
        {
            var info = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add(LibTorchLocator.PythonQuery);
            using var process = Process.Start(info);
            if (process is null)
            {
                return null;
            }

            var output = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(Patience))
            {
                process.Kill(entireProcessTree: true);
                return null;
            }

            string folder = output.Result.Trim();
            return process.ExitCode == 0 && folder.Length > 0 && Directory.Exists(folder) ? folder : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
