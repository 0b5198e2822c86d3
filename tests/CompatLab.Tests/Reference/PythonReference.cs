using System.Diagnostics;
using System.Text.Json.Nodes;
using CompatLab.Tests.Support;
using Xunit;

namespace CompatLab.Tests.Reference;

/// <summary>
/// Runs the independent PyTorch references (tests/reference/run.py, Debian's python3-torch) on a batch of cases in
/// one process, since starting Python and importing torch costs a second or two. A missing Python or torch fails the
/// test with the package to install: these checks must run, never be skipped.
/// </summary>
internal static class PythonReference
{
    public const string Interpreter = "/usr/bin/python3";

    public static string Folder { get; } = Path.Combine(RepositoryRoot(), "tests", "reference");

    /// <summary>Every case's outputs by case name.</summary>
    public static IReadOnlyDictionary<string, JsonObject> Run(IEnumerable<JsonObject> cases)
    {
        using var scratch = new ScratchFolder();
        string input = scratch.File("cases.json", new JsonObject { ["cases"] = new JsonArray(cases.ToArray<JsonNode>()) }.ToJsonString());
        string output = scratch.PathOf("results.json");
        if (!File.Exists(Interpreter))
        {
            Assert.Fail($"{Interpreter} is missing; the reference checks need Debian's PyTorch: apt-get install python3-torch");
        }

        var info = new ProcessStartInfo(Interpreter)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        info.ArgumentList.Add(Path.Combine(Folder, "run.py"));
        info.ArgumentList.Add(input);
        info.ArgumentList.Add(output);
        (int exit, string error) = Execute(info);
        if (error.Contains("No module named 'torch'", StringComparison.Ordinal))
        {
            Assert.Fail($"the reference checks need PyTorch for {Interpreter}: apt-get install python3-torch");
        }

        Assert.True(exit == 0, $"the Python reference failed (exit {exit}):\n{error}");
        var results = JsonNode.Parse(File.ReadAllText(output))!["cases"]!.AsArray();
        return results.ToDictionary(r => (string)r!["name"]!, r => r!["outputs"]!.AsObject());
    }

    private static (int Exit, string Error) Execute(ProcessStartInfo info)
    {
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("the Python reference did not finish in 5 minutes");
        }

        return (process.ExitCode, stderr.Result + stdout.Result);
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Framework.sln")))
            {
                return folder.FullName;
            }
        }

        throw new DirectoryNotFoundException($"no Framework.sln above {AppContext.BaseDirectory}");
    }
}
