using System.Text.Json.Nodes;
using CompatLab.Engine.Configuration;
using CompatLab.Engine.Matrix;
using CompatLab.Engine.Runs;
using CompatLab.Tests.Support;
using Xunit;

namespace CompatLab.Tests.PrunNet;

/// <summary>A tiny PrunNet run evaluates its capacity grid per (criterion, scope); a second evaluation reuses the training.</summary>
public class PrunNetEvaluationRunTests
{
    private const string Grid = """
        { "capacities": [1.0, 0.5, 0.25], "evaluation": { "capacities": [1.0, 0.5, 0.3], "recalibrationBatches": 2,
          "criteria": [ { "criterion": { "type": "learned-score" }, "scope": "layer" }, { "criterion": { "type": "magnitude" }, "scope": "global" } ] } }
        """;

    private const string OtherGrid = """
        { "capacities": [1.0, 0.5, 0.25], "evaluation": { "capacities": [0.2], "criteria": [ { "criterion": { "type": "random" } } ] } }
        """;

    [Fact]
    public void EveryPairAndCapacityGetsARowAChartAndMetricsAndAnotherEvaluationReusesTheTrainedNetwork()
    {
        using var scratch = new ScratchFolder();
        string output = scratch.PathOf("runs").Replace("\\", "/", StringComparison.Ordinal);

        var result = Run(scratch, TinyExperiment.PrunNetJson(Grid, output), out string firstMessages);

        Assert.DoesNotContain("reusing the trained network", firstMessages);
        var rows = result.Subnetworks!;
        Assert.Equal(
            new[] { ("learned-score", "layer", 1.0), ("learned-score", "layer", 0.5), ("learned-score", "layer", 0.3), ("magnitude", "global", 1.0), ("magnitude", "global", 0.5), ("magnitude", "global", 0.3) },
            rows.Select(r => (r.Criterion, r.Scope, r.Capacity)));
        Assert.All(rows, r => Assert.InRange(r.SubToDense.Map, 0, 1));
        Assert.All(rows.Where(r => r.Capacity < 1), r => Assert.Equal(2, r.RecalibrationBatches));
        Assert.Equal(1.0, rows[0].KeptFraction);
        Assert.InRange(rows[2].KeptFraction, 0.25, 0.35);
        Assert.True(rows[2].KeptParameters < rows[2].NetworkParameters);
        Assert.Equal(result.NewSelf.Map, rows[0].SubSelf.Map, 6); // c = 1 is the dense network

        string folder = result.RunFolder;
        var saved = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "results.json")))!["subnetworks"]!.AsArray();
        Assert.Equal(6, saved.Count);
        Assert.Equal("magnitude", (string)saved[4]!["criterion"]!);
        Assert.Contains("| magnitude | global | 0.3 |", File.ReadAllText(Path.Combine(folder, "results.md")));
        Assert.True(File.Exists(Path.Combine(folder, "map-vs-capacity-learned-score-layer.png")));
        Assert.True(File.Exists(Path.Combine(folder, "map-vs-capacity-magnitude-global.png")));
        Assert.True(File.Exists(Path.Combine(folder, "new-model.bin")));
        Assert.Contains("\"key\":\"eval.prune.magnitude.global.c0.3.cross_map\"", File.ReadAllText(Path.Combine(folder, "metrics.jsonl")));

        var again = Run(scratch, TinyExperiment.PrunNetJson(OtherGrid, output), out string secondMessages);

        Assert.NotEqual(folder, again.RunFolder);
        Assert.Contains("prunnet: reusing the trained network", secondMessages);
        Assert.Equal(result.NewSelf.Map, again.NewSelf.Map, 9);
        Assert.Equal(("random", "layer", 0.2), again.Subnetworks!.Select(r => (r.Criterion, r.Scope, r.Capacity)).Single());

        // The reusing run reports the training it did not repeat: the same training metrics, steps and values.
        Assert.Equal(TrainingLines(folder), TrainingLines(again.RunFolder));
        Assert.Contains(TrainingLines(again.RunFolder), l => l.Contains("\"key\":\"new.integrator.conflict_pair_fraction\"", StringComparison.Ordinal));
        Assert.Equal(IntegratorTelemetry.Read(folder), IntegratorTelemetry.Read(again.RunFolder));
        Assert.Contains("and its ", secondMessages);
    }

    private static List<string> TrainingLines(string runFolder) =>
        File.ReadLines(Path.Combine(runFolder, "metrics.jsonl")).Where(l => l.StartsWith("{\"key\":\"new.", StringComparison.Ordinal)).ToList();

    private static RunResult Run(ScratchFolder scratch, string json, out string messages)
    {
        string file = scratch.File("e.json", json);
        var document = ExperimentDocument.Load(file);
        using var catalog = BuiltInPlugins.Load();
        var experiment = new ExperimentResolver(catalog).Resolve(document.CloneContent(), document.Provenance, [], new Dictionary<string, string>(), "run");
        using var writer = new StringWriter();
        try
        {
            return new ExperimentRunner(catalog, writer).Run(experiment, file, force: false, CancellationToken.None);
        }
        finally
        {
            messages = writer.ToString();
        }
    }
}
