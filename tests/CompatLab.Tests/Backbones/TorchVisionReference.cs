using System.Diagnostics;
using CompatLab.Engine.Weights;
using CompatLab.Tests.Support;
using static TorchSharp.torch;

namespace CompatLab.Tests.Backbones;

/// <summary>
/// Runs tests/reference/torchvision/make_reference.py once with Debian's PyTorch (/usr/bin/python3 with
/// python3-torch and python3-torchvision) and keeps its weights and outputs in a scratch folder for the test class.
/// Without that PyTorch the tests fail, saying what to install: the equivalence is checked in CI, never skipped.
/// </summary>
public sealed class TorchVisionReference : IDisposable
{
    public const string Python = "/usr/bin/python3";

    private readonly ScratchFolder scratch = new();
    private readonly Lazy<string> folder;

    public TorchVisionReference()
    {
        folder = new Lazy<string>(Generate);
    }

    /// <summary>The folder with NAME.pt (state dict), NAME-io.pt (input, features) and whole-model.pt.</summary>
    public string Folder => folder.Value;

    public string Weights(string family) => Path.Combine(Folder, family + ".pt");

    /// <summary>The reference batch and torchvision's trunk features for it.</summary>
    public (Tensor Input, Tensor Features) InputAndFeatures(string family)
    {
        var saved = StateDictFile.Read(Path.Combine(Folder, family + "-io.pt"));
        return (saved["input"], saved["features"]);
    }

    public void Dispose() => scratch.Dispose();

    private static string Script()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "reference", "torchvision", "make_reference.py");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("tests/reference/torchvision/make_reference.py not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Runs another script of tests/reference/torchvision with Debian's PyTorch.</summary>
    public static void RunScript(string script, params string[] arguments)
    {
        var info = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(Path.GetDirectoryName(Script())!, script));
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{Python} is missing ({e.Message}): install Debian's PyTorch with `apt-get install python3-torch python3-torchvision` (.ci/run does).", e);
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{script} did not finish in 3 minutes");
            }

            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"{script} failed (exit {process.ExitCode}); the equivalence tests need Debian's PyTorch: " +
                    $"`apt-get install python3-torch python3-torchvision` (.ci/run does).\n{error.Result}{output.Result}");
            }
        }
    }

    private string Generate()
    {
        RunScript("make_reference.py", scratch.Root);
        return scratch.Root;
    }
}
