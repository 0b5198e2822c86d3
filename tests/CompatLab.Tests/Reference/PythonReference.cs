using System.Diagnostics;
using System.Text.Json.Nodes;
using CompatLab.Tests.Support;
using Xunit;

namespace CompatLab.Tests.Reference;

/// <summary>
/// Runs the independent PyTorch references (tests/reference/run.py, Debian's python3-torch). One Python process
/// serves every test of the run, one batch of cases at a time, since starting Python and importing torch costs
/// seconds. A missing Python or torch fails the test with the package to install: these checks must run, never be
/// skipped.
/// </summary>
internal static class PythonReference
{
    public const string Interpreter = "/usr/bin/python3";
    private const string Install = "apt-get install python3-torch";
    private static readonly object Gate = new();
    private static Process? server;

    public static string Folder { get; } = Path.Combine(RepositoryRoot(), "tests", "reference");

    /// <summary>Every case's outputs by case name.</summary>
    public static IReadOnlyDictionary<string, JsonObject> Run(IEnumerable<JsonObject> cases)
    {
        using var scratch = new ScratchFolder();
        string input = scratch.File("cases.json", new JsonObject { ["cases"] = new JsonArray(cases.ToArray<JsonNode>()) }.ToJsonString());
        string output = scratch.PathOf("results.json");
        string answer;
        lock (Gate)
        {
            Process process = Server();
            process.StandardInput.WriteLine($"{input}\t{output}");
            answer = process.StandardOutput.ReadLine() ?? Died(process);
        }

        Assert.True(answer == "ok", $"the Python reference failed:\n{answer.Replace("\\n", "\n", StringComparison.Ordinal)}");
        var results = JsonNode.Parse(File.ReadAllText(output))!["cases"]!.AsArray();
        return results.ToDictionary(r => (string)r!["name"]!, r => r!["outputs"]!.AsObject());
    }

    // Started on first use and left running; it ends when the test host closes its standard input.
    private static Process Server()
    {
        if (server is { HasExited: false })
        {
            return server;
        }

        if (!File.Exists(Interpreter))
        {
            Assert.Fail($"{Interpreter} is missing; the reference checks need Debian's PyTorch: {Install}");
        }

        var info = new ProcessStartInfo(Interpreter)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        info.ArgumentList.Add(Path.Combine(Folder, "run.py"));
        info.ArgumentList.Add("--serve");
        var process = Process.Start(info)!;
        string ready = process.StandardOutput.ReadLine() ?? Died(process);
        Assert.True(ready == "ready", $"the Python reference did not start: {ready}");
        server = process;
        return process;
    }

    private static string Died(Process process)
    {
        string error = process.StandardError.ReadToEnd();
        server = null;
        if (error.Contains("No module named 'torch'", StringComparison.Ordinal))
        {
            Assert.Fail($"the reference checks need PyTorch for {Interpreter}: {Install}");
        }

        Assert.Fail($"the Python reference process ended:\n{error}");
        return string.Empty;
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
