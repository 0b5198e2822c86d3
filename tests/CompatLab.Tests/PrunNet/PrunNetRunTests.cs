using System.Text.Json.Nodes;
using CompatLab.Engine.Configuration;
using CompatLab.Engine.Models;
using CompatLab.Engine.Pruning;
using CompatLab.Engine.Runs;
using CompatLab.Tests.Backbones;
using CompatLab.Tests.Support;
using Xunit;
using static TorchSharp.torch;

namespace CompatLab.Tests.PrunNet;

/// <summary>Tiny PrunNet runs: through the CLI, and in process interrupted after one step and resumed.</summary>
/// <remarks>
/// The in-process runs build their networks from torch's global generator; a test beside them that builds a module
/// draws from it too, so the reference and the resumed run could start from different weights (seen once in CI).
/// </remarks>
[Collection(TorchRandomCollection.Name)]
public class PrunNetRunTests
{
    [Fact]
    public void CliRunTrainsOneScoredNetworkLogsPerCapacityLossesAndTelemetryAndEvaluatesIt()
    {
        using var scratch = new ScratchFolder();
        string file = scratch.File("e.json", TinyExperiment.PrunNetJson());

        var run = CliProcess.Run(scratch.Root, "run", file);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("| run | prunnet/conflict-aware | 3 | - |", run.Output);
        string folder = Path.GetDirectoryName(Directory.GetFiles(scratch.PathOf("runs/tinyprun"), "results.json", SearchOption.AllDirectories).Single())!;
        Assert.False(Directory.Exists(scratch.PathOf("runs/.old-models")), "a PrunNet run trains no old model");
        var results = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "results.json")))!;
        Assert.InRange((double)results["newSelf"]!["map"]!, 0, 1);
        Assert.Null(results["cross"]);
        string metrics = File.ReadAllText(Path.Combine(folder, "metrics.jsonl"));
        foreach (string key in new[] { "new.loss_c1.0", "new.loss_c0.5", "new.loss_c0.25", "new.integrator.conflict_pair_fraction", "new.integrator.conflict_row_fraction", "new.integrator.weight_2", "eval.new_self.map" })
        {
            Assert.Contains($"\"key\":\"{key}\"", metrics);
        }

        using var model = ScoredModel(withScores: true);
        model.load(Path.Combine(folder, "new-model.bin"));
        Assert.All(MaskableLayers.In(model), layer => Assert.NotNull(layer.Scores));
        using var plain = ScoredModel(withScores: false);
        Assert.ThrowsAny<Exception>(() => plain.load(Path.Combine(folder, "new-model.bin")));
    }

    [Fact]
    public void InterruptedRunResumesAndEndsAsAnUninterruptedOne()
    {
        using var reference = new ScratchFolder();
        var uninterrupted = RunInProcess(reference, CancellationToken.None, out _);

        using var scratch = new ScratchFolder();
        using var stop = new CancellationTokenSource();
        stop.Cancel(); // checked after each step: the run checkpoints after step 1 and stops
        Assert.Throws<OperationCanceledException>(() => RunInProcess(scratch, stop.Token, out _));
        var resumed = RunInProcess(scratch, CancellationToken.None, out string messages);

        Assert.Contains("new: resuming from the checkpoint at step 1", messages);
        Assert.Equal(uninterrupted.NewSelf.Map, resumed.NewSelf.Map, 9);
        Assert.Equal(uninterrupted.NewSelf.RecallAt1, resumed.NewSelf.RecallAt1, 9);
    }

    private static RunResult RunInProcess(ScratchFolder scratch, CancellationToken cancel, out string messages)
    {
        string file = scratch.File("e.json", TinyExperiment.PrunNetJson(output: scratch.PathOf("runs").Replace("\\", "/", StringComparison.Ordinal)));
        var document = ExperimentDocument.Load(file);
        using var catalog = BuiltInPlugins.Load();
        var experiment = new ExperimentResolver(catalog).Resolve(document.CloneContent(), document.Provenance, [], new Dictionary<string, string>(), "run");
        using var writer = new StringWriter();
        try
        {
            return new ExperimentRunner(catalog, writer).Run(experiment, file, force: false, cancel);
        }
        finally
        {
            messages = writer.ToString();
        }
    }

    private static RetrievalModel ScoredModel(bool withScores)
    {
        var backbone = BackbonePlugins.Factory("cnn4", new Dictionary<string, string?> { ["widths:0"] = "4", ["widths:1"] = "4", ["widths:2"] = "8", ["widths:3"] = "8" });
        return ModelBuilder.Build(backbone, (1, 16, 16), new ModelSpec { EmbeddingDim = 8 }, 4, seed: 1, CPU, withScores);
    }
}
