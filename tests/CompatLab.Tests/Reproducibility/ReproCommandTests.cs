using System.Text.Json.Nodes;
using CompatLab.Tests.Support;
using Xunit;

namespace CompatLab.Tests.Reproducibility;

/// <summary>Every run writes manifest.json; 'compatlab repro' reruns a finished run and compares its results.</summary>
public class ReproCommandTests
{
    private const string Commit = "89abcdef0123456789abcdef0123456789abcdef";

    [Fact]
    public void RunWritesItsManifestAndReproAgreesUntilAResultIsChanged()
    {
        using var scratch = new ScratchFolder();
        scratch.File("repo/.git/HEAD", "ref: refs/heads/main\n");
        scratch.File("repo/.git/refs/heads/main", Commit + "\n");
        string file = scratch.File("repo/experiments/e.json", TinyExperiment.Json());
        string work = scratch.PathOf("work");
        Directory.CreateDirectory(work);

        var run = CliProcess.Run(work, "run", file);
        Assert.True(run.ExitCode == 0, run.Error);

        string folder = Directory.GetDirectories(Path.Combine(work, "runs", "tiny")).Single(d => !Path.GetFileName(d).StartsWith('.'));
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "manifest.json")))!;
        Assert.Equal(Commit, (string)manifest["git"]!["commit"]!);
        Assert.Equal("main", (string)manifest["git"]!["branch"]!);
        Assert.Equal(3, (int)manifest["seed"]!);
        Assert.Equal("tiny", (string)manifest["config"]!["name"]!);
        Assert.All(manifest["plugins"]!.AsArray(), p => Assert.Matches("^[0-9a-f]{64}$", (string)p!["sha256"]!));
        Assert.False(string.IsNullOrEmpty((string?)manifest["machine"]!["libtorchVersion"]));
        Assert.Equal(1, (int)manifest["machine"]!["torchThreads"]!);
        Assert.Equal(new[] { "train", "test" }, manifest["datasets"]!.AsArray().Select(d => (string)d!["context"]!));

        // System metrics carry their stage; MLflow's source tags come from the experiment file's repository.
        string metrics = File.ReadAllText(Path.Combine(folder, "metrics.jsonl"));
        Assert.Contains("\"old.sys.rss_mb\"", metrics);
        Assert.Contains("\"new.sys.rss_mb\"", metrics);
        Assert.DoesNotContain("\"sys.rss_mb\"", metrics);
        string tags = Directory.GetDirectories(Path.Combine(work, "mlruns"), "tags", SearchOption.AllDirectories).Single(t => File.Exists(Path.Combine(t, "mlflow.source.name")));
        Assert.Equal(Commit, File.ReadAllText(Path.Combine(tags, "mlflow.source.git.commit")));
        Assert.Equal("main", File.ReadAllText(Path.Combine(tags, "mlflow.source.git.branch")));
        Assert.Equal("experiments/e.json", File.ReadAllText(Path.Combine(tags, "mlflow.source.name")));

        var repro = CliProcess.Run(work, "repro", folder);
        Assert.True(repro.ExitCode == 0, repro.Output + repro.Error);
        Assert.Contains("reproduced: all", repro.Output);
        Assert.Single(Directory.GetDirectories(Path.Combine(folder, "repro")));

        string resultsPath = Path.Combine(folder, "results.json");
        var results = JsonNode.Parse(File.ReadAllText(resultsPath))!;
        results["cross"]!["map"] = (double)results["cross"]!["map"]! + 0.01;
        File.WriteAllText(resultsPath, results.ToJsonString());

        var changed = CliProcess.Run(work, "repro", folder);
        Assert.Equal(1, changed.ExitCode);
        Assert.Contains("not reproduced: 1 of", changed.Output);
        Assert.Contains("| cross.map |", changed.Output);
    }

    [Fact]
    public void ReproOfAFolderThatIsNoFinishedRunIsBadInput()
    {
        using var scratch = new ScratchFolder();
        var missing = CliProcess.Run(scratch.Root, "repro", scratch.PathOf("nothing"));
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("no such run folder", missing.Error);

        scratch.File("run/state.json", """{ "status": "running" }""");
        var unfinished = CliProcess.Run(scratch.Root, "repro", scratch.PathOf("run"));
        Assert.Equal(2, unfinished.ExitCode);
        Assert.Contains("has not finished", unfinished.Error);
    }
}
