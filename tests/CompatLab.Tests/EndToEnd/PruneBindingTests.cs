using CompatLab.Tests.Support;
using Xunit;

namespace CompatLab.Tests.EndToEnd;

/// <summary>`compatlab prune` binds the run's saved configuration and its --set/--device through run's binder.</summary>
public class PruneBindingTests : IClassFixture<FinishedTinyRun>
{
    private readonly FinishedTinyRun run;

    public PruneBindingTests(FinishedTinyRun run)
    {
        this.run = run;
    }

    [Fact]
    public void MisspeltSetKeyIsBlamedOnTheSetWithASuggestion()
    {
        string folder = run.Copy("misspelt");

        var result = CliProcess.Run(run.Scratch.Root, "prune", folder, "--capacity", "0.5", "--set", "evaluation.chunkSizee=8");

        Assert.Equal(2, result.ExitCode);
        string line = Assert.Single(result.Error.Split('\n'), l => l.StartsWith("error: ", StringComparison.Ordinal));
        Assert.Contains("--set", line);
        Assert.Contains("evaluation.chunkSizee", line);
        Assert.Contains("chunkSize", line.Replace("chunkSizee", string.Empty, StringComparison.Ordinal));
        Assert.False(Directory.Exists(Path.Combine(folder, "pruned")));
    }

    [Fact]
    public void EveryBadFlagIsReportedAtOnce()
    {
        string folder = run.Copy("all-at-once");

        var result = CliProcess.Run(run.Scratch.Root, "prune", folder, "--capacity", "0.2,lots", "--scope", "everywhere", "--recalibrate-batches", "some");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("error: 3 problems with the prune options:", result.Error);
        Assert.Contains("--capacity: 'lots' is not a number", result.Error);
        Assert.Contains("--scope: unknown pruning scope 'everywhere'", result.Error);
        Assert.Contains("--recalibrate-batches: expected a whole number", result.Error);
        Assert.False(Directory.Exists(Path.Combine(folder, "pruned")));
    }

    [Fact]
    public void SetValueReachesTheEvaluation()
    {
        string folder = run.Copy("set-device");

        var result = CliProcess.Run(run.Scratch.Root, "prune", folder, "--capacity", "0.5", "--criterion", "magnitude", "--recalibrate-batches", "1", "--device", "cpu", "--set", "evaluation.mapAtK=5");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("mAP@5", File.ReadAllText(Path.Combine(folder, "pruned", "magnitude-layer", "results.md")));
    }
}
