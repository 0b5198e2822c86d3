using System.Text.Json.Nodes;
using CompatLab.Engine.Reproducibility;
using CompatLab.Tests.Support;
using Xunit;

namespace CompatLab.Tests.Reproducibility;

/// <summary>
/// Regression guard: a tiny BCT run and a tiny PrunNet run must give the stored results (tests/golden/*.json) to
/// 1e-6. A change that moves any number fails here with the table of what moved. When a change is meant to move
/// them, tests/golden/bless.sh stores the new results (review the diff like code).
/// </summary>
public class GoldenResultsTests
{
    public const string BlessVariable = "COMPATLAB_BLESS_GOLDEN";

    public static string GoldenFolder => Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "golden"));

    [Fact]
    public void TinyBctRunGivesTheStoredResults() => Check("tiny-bct", TinyExperiment.Json("bct", """, "tracking": { "trackers": [] }"""), "tiny");

    [Fact]
    public void TinyPrunNetRunGivesTheStoredResults() => Check("tiny-prunnet", TinyExperiment.PrunNetJson(), "tinyprun");

    private static void Check(string name, string experiment, string experimentName)
    {
        using var scratch = new ScratchFolder();
        string file = scratch.File("e.json", experiment);
        var run = CliProcess.Run(scratch.Root, "run", file);
        Assert.True(run.ExitCode == 0, run.Error);
        string resultsFile = Directory.GetFiles(scratch.PathOf($"runs/{experimentName}"), "results.json", SearchOption.AllDirectories).Single();
        var actual = JsonNode.Parse(File.ReadAllText(resultsFile))!;
        actual.AsObject().Remove("runFolder");

        string golden = Path.Combine(GoldenFolder, name + ".json");
        if (Environment.GetEnvironmentVariable(BlessVariable) == "1")
        {
            File.WriteAllText(golden, actual.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n");
        }

        Assert.True(File.Exists(golden), $"{golden} is missing; run tests/golden/bless.sh to store the current results");
        var differences = ResultComparison.Compare(JsonNode.Parse(File.ReadAllText(golden)), actual);
        Assert.True(differences.Count == 0, $"{name}: results moved from {golden} (more than 1e-6):\n{ResultComparison.Table(differences, "golden", "now")}");
    }
}
