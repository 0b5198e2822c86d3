using System.Text.Json.Nodes;
using CompatLab.Tests.Support;
using Xunit;

namespace CompatLab.Tests.PrunNet;

/// <summary>The committed T3/T4/T5 smoke presets run through the CLI and their summaries have every row.</summary>
public class PrunNetSmokePresetTests
{
    private static readonly double[] T3Capacities = [1.0, 0.8, 0.6, 0.4, 0.3, 0.2, 0.1];
    private static readonly double[] T4Capacities = [0.8, 0.6, 0.4, 0.2];
    private static readonly string[] Integrators = ["sum", "pcgrad", "conflict-aware"];
    private static readonly string[] Criteria = ["learned-score", "magnitude", "random", "taylor"];

    [Fact]
    public void T3SmokeEvaluatesEveryCapacity()
    {
        var summary = RunSmoke("t3-prunnet", out string output);

        Assert.Equal(["prunnet/conflict-aware"], summary["results"]!.AsArray().Select(r => (string)r!["loss"]!));
        Assert.Equal(T3Capacities, summary["byCapacity"]!.AsArray().Select(c => (double)c!["capacity"]!));
        Assert.Contains("| run | prunnet/conflict-aware | learned-score | layer | 0.1 | 1 |", output);
    }

    [Fact]
    public void T4SmokeHasEveryIntegratorWithTelemetry()
    {
        var summary = RunSmoke("t4-integrators", out _);

        Assert.Equal(Integrators.Select(i => $"prunnet/{i}"), summary["results"]!.AsArray().Select(r => (string)r!["loss"]!));
        Assert.Equal(Integrators.SelectMany(i => T4Capacities.Select(c => (i, c))), summary["byCapacity"]!.AsArray().Select(c => ((string)c!["setting"]!, (double)c["capacity"]!)));
        var integrators = summary["byIntegrator"]!.AsArray();
        Assert.Equal(Integrators, integrators.Select(i => (string)i!["setting"]!));
        Assert.All(integrators, i => Assert.InRange((double)i!["conflictPairFraction"]!["mean"]!, 0, 1));
    }

    [Fact]
    public void T5SmokeHasEveryCriterionAndScopeAtBothCapacities()
    {
        var summary = RunSmoke("t5-criteria", out _);

        var expected = Criteria.SelectMany(c => new[] { "layer", "global" }.SelectMany(s => new[] { 0.4, 0.2 }.Select(capacity => (c, s, capacity))));
        Assert.Equal(expected, summary["byCapacity"]!.AsArray().Select(c => ((string)c!["criterion"]!, (string)c["scope"]!, (double)c["capacity"]!)));
    }

    [Fact]
    public void FullFilesAreThreeSeedsOfResnetMiniOnFashionMnistAndT4ExtendsT3()
    {
        var t3 = Cells("t3-prunnet");
        var t4 = Cells("t4-integrators");
        var t5 = Cells("t5-criteria");

        Assert.Equal(["s1", "s2", "s3"], t3.Select(c => c.Key).Order());
        Assert.Equal(Integrators.SelectMany(i => new[] { 1, 2, 3 }.Select(s => $"{i}_s{s}")).Order(), t4.Select(c => c.Key).Order());
        Assert.Equal(["s1", "s2", "s3"], t5.Select(c => c.Key).Order());
        Assert.All(t3.Concat(t4).Concat(t5), c => Assert.Equal("resnet-mini", (string)c.Value!["model"]!["backbone"]!["type"]!));
        Assert.All(t3.Concat(t4).Concat(t5), c => Assert.Equal(128, (int)c.Value!["model"]!["embeddingDim"]!));
        Assert.All(t3.Concat(t4).Concat(t5), c => Assert.Equal("fashion-mnist", (string)c.Value!["data"]!["dataset"]!["type"]!));

        // A T4 conflict-aware cell trains what the T3 cell of its seed trains: same everything but the name and evaluation.
        static JsonNode? Training(JsonNode? cell)
        {
            var copy = cell!.DeepClone().AsObject();
            copy.Remove("name");
            copy["prunnet"]!.AsObject().Remove("evaluation");
            return copy;
        }

        Assert.True(JsonNode.DeepEquals(Training(t3["s2"]), Training(t4["conflict-aware_s2"])));
    }

    private static JsonObject Cells(string table) =>
        JsonNode.Parse(CliProcess.Run(ExperimentsFolder(), "config", "show", table + ".json").Output)!.AsObject();

    private static JsonNode RunSmoke(string table, out string output)
    {
        using var scratch = new ScratchFolder();
        var run = CliProcess.Run(scratch.Root, "run", Path.Combine(ExperimentsFolder(), table + ".smoke.json"));

        Assert.True(run.ExitCode == 0, run.Error);
        output = run.Output;
        var summary = JsonNode.Parse(File.ReadAllText(scratch.PathOf($"runs/{table}-smoke/summary.json")))!;
        Assert.Empty(summary["failures"]!.AsArray());
        return summary;
    }

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
