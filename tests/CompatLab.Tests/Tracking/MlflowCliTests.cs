using System.Diagnostics;
using System.Text.Json.Nodes;
using CompatLab.Tests.Support;
using Xunit;

namespace CompatLab.Tests.Tracking;

/// <summary>The mlflow tracker as users meet it: the CLI's default tracker, a tracking server, 'compatlab tracking sync'.</summary>
public class MlflowCliTests
{
    private const string QuickRetries = """, "tracking": { "trackers": [ { "type": "mlflow", "options": { "retryDelayMs": 5, "maxRetries": 1 } } ] }""";

    [Fact]
    public void TinyExperimentRunWritesItsRunToMlrunsByDefault()
    {
        using var scratch = new ScratchFolder();
        string file = scratch.File("e.json", TinyExperiment.Json());

        var run = Cli(scratch.Root, null, "run", file);

        Assert.True(run.ExitCode == 0, run.Error);
        string experiment = Directory.GetDirectories(scratch.PathOf("mlruns")).Where(d => !Path.GetFileName(d).StartsWith('.')).Single(d => File.ReadAllText(Path.Combine(d, "meta.yaml")).Contains("\nname: tiny\n", StringComparison.Ordinal));
        string mlflowRun = Directory.GetDirectories(experiment).Single(d => Path.GetFileName(d) != "datasets");
        string runFolder = Path.GetDirectoryName(Directory.GetFiles(scratch.PathOf("runs/tiny"), "results.json", SearchOption.AllDirectories).Single())!;
        Assert.Contains("status: 3\n", File.ReadAllText(Path.Combine(mlflowRun, "meta.yaml")));
        Assert.Equal("bct", File.ReadAllText(Path.Combine(mlflowRun, "params", "new.loss.type")));
        var parameters = JsonNode.Parse(File.ReadAllText(Path.Combine(runFolder, "params.json")))!.AsObject();
        Assert.Equal(parameters.Count, Directory.GetFiles(Path.Combine(mlflowRun, "params"), "*", SearchOption.AllDirectories).Length);

        var lossSteps = File.ReadAllLines(Path.Combine(mlflowRun, "metrics", "new.loss")).Select(l => long.Parse(l.Split(' ')[2], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.True(lossSteps.Count >= 2, "new.loss should have a history");
        Assert.Equal(lossSteps.Order(), lossSteps);
        Assert.True(File.Exists(Path.Combine(mlflowRun, "metrics", "eval.cross.map")));
        foreach (string artifact in new[] { "results.json", "config.json" })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(runFolder, artifact)), File.ReadAllBytes(Path.Combine(mlflowRun, "artifacts", artifact)));
        }
    }

    [Fact]
    public void AnEmptyTrackerListTurnsMlflowOff()
    {
        using var scratch = new ScratchFolder();
        string file = scratch.File("e.json", TinyExperiment.Json(extra: """, "tracking": { "trackers": [] }"""));

        var run = Cli(scratch.Root, null, "run", file);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.False(Directory.Exists(scratch.PathOf("mlruns")));
    }

    [Fact]
    public void ServerAwayDuringTheRunGetsEverythingOnceFromTrackingSyncAndNoSecretIsWritten()
    {
        const string Token = "tok-5e2d-never-written";
        using var scratch = new ScratchFolder();
        int port = FakeMlflowServer.FreePort();
        string file = scratch.File("e.json", TinyExperiment.Json(extra: QuickRetries));
        var environment = new Dictionary<string, string?>
        {
            ["MLFLOW_TRACKING_URI"] = $"http://127.0.0.1:{port}",
            ["MLFLOW_TRACKING_TOKEN"] = Token,
        };

        var run = Cli(scratch.Root, environment, "run", file);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("tracking sync", run.Error);

        using var server = new FakeMlflowServer(port) { RequiredAuthorization = "Bearer " + Token };
        var sync = Cli(scratch.Root, environment, "tracking", "sync");

        Assert.True(sync.ExitCode == 0, sync.Output + sync.Error);
        string runFolder = Path.GetDirectoryName(Directory.GetFiles(scratch.PathOf("runs/tiny"), "results.json", SearchOption.AllDirectories).Single())!;
        var tracked = server.SingleRun();
        Assert.Equal("tiny", server.ExperimentName(tracked.ExperimentId));
        Assert.Equal("FINISHED", tracked.Status);
        Assert.Equal(JsonNode.Parse(File.ReadAllText(Path.Combine(runFolder, "params.json")))!.AsObject().Count, tracked.Params.Count);
        Assert.Equal(File.ReadAllLines(Path.Combine(runFolder, "metrics.jsonl")).Length, tracked.Metrics.Count);
        Assert.Equal(
            new[] { "config.json", "model/MLmodel", "model/data/config.json", "model/data/model.bin", "results.json", "results.md" },
            tracked.Artifacts.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(new[] { "train", "test" }, tracked.Inputs.Select(i => i.Context));

        int requests = server.Requests.Count;
        var again = Cli(scratch.Root, environment, "tracking", "sync", "runs");
        Assert.True(again.ExitCode == 0, again.Output + again.Error);
        Assert.Equal(requests, server.Requests.Count);

        foreach (string written in Directory.GetFiles(scratch.Root, "*", SearchOption.AllDirectories))
        {
            Assert.False(File.ReadAllText(written).Contains(Token, StringComparison.Ordinal), $"{written} holds the token");
        }

        Assert.DoesNotContain(Token, run.Output + run.Error + sync.Output + sync.Error);
    }

    [Fact]
    public void AnUnusableTrackingUriFromTheEnvironmentIsAConfigurationErrorBeforeTheRun()
    {
        using var scratch = new ScratchFolder();
        string file = scratch.File("e.json", TinyExperiment.Json());

        var run = Cli(scratch.Root, new Dictionary<string, string?> { ["MLFLOW_TRACKING_URI"] = "sqlite:///mlflow.db" }, "run", file);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("MLFLOW_TRACKING_URI", run.Error);
        Assert.Contains("mlflow server --backend-store-uri", run.Error);
        Assert.False(Directory.Exists(scratch.PathOf("runs")));
    }

    [Fact]
    public void SyncOfAMissingFolderIsAUserError()
    {
        using var scratch = new ScratchFolder();

        var sync = Cli(scratch.Root, null, "tracking", "sync", "no-such-runs");

        Assert.Equal(2, sync.ExitCode);
        Assert.Contains("'no-such-runs' is not a folder", sync.Error);
    }

    private static (int ExitCode, string Output, string Error) Cli(string workingDirectory, IReadOnlyDictionary<string, string?>? environment, params string[] args)
    {
        var info = CliProcess.StartInfo(workingDirectory, args);
        foreach (string name in new[] { "MLFLOW_TRACKING_URI", "MLFLOW_TRACKING_TOKEN", "MLFLOW_TRACKING_USERNAME", "MLFLOW_TRACKING_PASSWORD" })
        {
            info.Environment.Remove(name);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            info.Environment[name] = value;
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"compatlab {string.Join(' ', args)} did not finish in 3 minutes");
        }

        return (process.ExitCode, output.Result, error.Result);
    }
}
