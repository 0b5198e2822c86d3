using System.Text.Json.Nodes;
using CompatLab.Tests.Support;
using Xunit;

namespace CompatLab.Tests.Losses;

/// <summary>The committed T1/T2 smoke presets run through the CLI and produce a row for every loss.</summary>
public class BclSmokePresetTests
{
    private static readonly string[] Losses = ["independent", "l2", "bct", "bct-proto", "contrastive", "hot-refresh", "ndpp", "odpp", "lce"];

    [Theory]
    [InlineData("t1-bcl-extended-class")]
    [InlineData("t2-bcl-extended-data")]
    public void SmokePresetRunsEveryLoss(string table)
    {
        using var scratch = new ScratchFolder();
        string preset = Path.Combine(ExperimentsFolder(), table + ".smoke.json");

        var run = CliProcess.Run(scratch.Root, "run", preset);

        Assert.True(run.ExitCode == 0, run.Error);
        var summary = JsonNode.Parse(File.ReadAllText(scratch.PathOf($"runs/{table}-smoke/summary.json")))!;
        Assert.Empty(summary["failures"]!.AsArray());
        Assert.Equal(Losses, summary["results"]!.AsArray().Select(r => (string)r!["loss"]!));
        foreach (string loss in Losses)
        {
            Assert.Contains($"| {loss}_s1 | {loss} | 1 |", run.Output);
        }
    }

    [Theory]
    [InlineData("t1-bcl-extended-class")]
    [InlineData("t2-bcl-extended-data")]
    public void FullFileIsEveryLossTimesThreeSeeds(string table)
    {
        var cells = JsonNode.Parse(CliProcess.Run(ExperimentsFolder(), "config", "show", table + ".json").Output)!.AsObject();

        Assert.Equal(Losses.SelectMany(loss => new[] { 1, 2, 3 }.Select(seed => $"{loss}_s{seed}")).Order(), cells.Select(c => c.Key).Order());
        Assert.All(cells, c => Assert.Equal("fashion-mnist", (string)c.Value!["data"]!["dataset"]!["type"]!));
        Assert.All(cells, c => Assert.Equal("resnet-mini", (string)c.Value!["model"]!["backbone"]!["type"]!));
        Assert.All(cells, c => Assert.Equal(128, (int)c.Value!["model"]!["embeddingDim"]!));
    }

    // The repository's experiments/ folder, found upwards from the test binaries.
    private static string ExperimentsFolder()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Framework.sln")))
            {
                return Path.Combine(folder.FullName, "experiments");
            }
        }

        throw new DirectoryNotFoundException($"no Framework.sln above {AppContext.BaseDirectory}");
    }
}
