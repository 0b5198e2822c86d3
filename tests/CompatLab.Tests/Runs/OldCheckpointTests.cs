using System.Text.Json.Nodes;
using CompatLab.Engine.Configuration;
using CompatLab.Engine.Models;
using CompatLab.Engine.Runs;
using CompatLab.Tests.Backbones;
using CompatLab.Tests.Support;
using TorchSharp;
using TorchSharp.PyBridge;
using Xunit;

namespace CompatLab.Tests.Runs;

/// <summary>
/// old.checkpoint: an old model trained by one run, exported and re-saved by PyTorch (or written as safetensors),
/// is the old model of another run, which skips old training and measures the same old self-test; a file of
/// another architecture or a missing file stops the run with exit code 2 before anything trains.
/// </summary>
[Collection(TorchRandomCollection.Name)]
public class OldCheckpointTests
{
    [Fact]
    public void PyTorchResavedExportGivesTheOldSelfTestOfTheRunThatTrainedIt()
    {
        using var scratch = new ScratchFolder();
        var (trained, old) = TrainAndLoadOldModel(scratch);
        using var oldModel = old;
        string exported = scratch.PathOf("export/old.safetensors");
        using (torch.NewDisposeScope())
        {
            ModelExport.Write(old.Network, exported, new JsonObject { ["backbone"] = "cnn4" }, old.Classifier);
        }

        string pt = scratch.PathOf("export/old.pt");
        TorchVisionReference.RunScript("resave_export.py", exported, pt, "module.");

        var result = Run(Experiment(scratch, "from-pt", pt, """["module.=>"]"""), out var messages);

        Assert.Equal(trained.OldSelf!.Map, result.OldSelf!.Map);
        Assert.Equal(trained.OldSelf.MapAtK, result.OldSelf.MapAtK);
        // The classifier came along, so the new model trained against the same old model as in the first run.
        Assert.Equal(trained.NewSelf.Map, result.NewSelf.Map);
        Assert.Equal(trained.Cross!.Map, result.Cross!.Map);
        Assert.Contains("old training skipped", messages);
        Assert.False(Directory.Exists(scratch.PathOf("runs-from-pt/.old-models")));
    }

    [Fact]
    public void SafetensorsInTheRunModelsOwnLayoutLoadsAndItsDigestNamesTheRun()
    {
        using var scratch = new ScratchFolder();
        var (trained, old) = TrainAndLoadOldModel(scratch);
        using var oldModel = old;
        string file = scratch.PathOf("old.safetensors");
        using (torch.NewDisposeScope())
        {
            Safetensors.SaveStateDict(file, old.state_dict().ToDictionary(e => e.Key, e => e.Value.detach().contiguous()));
        }

        string experiment = Experiment(scratch, "from-safetensors", file);
        var result = Run(experiment, out _);
        string digest = Sha256(file);
        File.AppendAllText(file, " ");
        string changedFolder = Resolve(experiment).RunFolder;

        Assert.Equal(trained.OldSelf!.Map, result.OldSelf!.Map);
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(result.RunFolder, "config.json")))!;
        Assert.Equal(digest, config["old"]!["checkpoint"]!["sha256"]!.GetValue<string>());
        Assert.NotEqual(result.RunFolder, changedFolder);
    }

    [Fact]
    public void CompatLabModelFileOfAnotherRunIsItsOldModel()
    {
        using var scratch = new ScratchFolder();
        RunResult trained;
        string modelFile;
        using (var run = InProcessRun.Open(Experiment(scratch, "trained", checkpoint: null)))
        {
            trained = run.Run();
            modelFile = Path.Combine(run.Experiment.OldModelFolder, "model.bin");
        }

        var result = Run(Experiment(scratch, "from-bin", modelFile), out _);

        Assert.Equal(trained.OldSelf!.Map, result.OldSelf!.Map);
        Assert.Equal(trained.Cross!.Map, result.Cross!.Map);
    }

    [Fact]
    public void ExportWithoutTheClassifierLoadsWithAWarning()
    {
        using var scratch = new ScratchFolder();
        string file = scratch.PathOf("network-only.safetensors");
        using (torch.NewDisposeScope())
        {
            using var old = ModelBuilder.Build(Cnn4(), (1, 16, 16), Cnn4Spec, classes: 2, seed: 1, torch.CPU);
            ModelExport.Write(old.Network, file, new JsonObject { ["backbone"] = "cnn4" });
        }

        var result = Run(Experiment(scratch, "network-only", file), out var messages);

        Assert.True(double.IsFinite(result.OldSelf!.Map));
        Assert.Contains("has no classifier.* keys, so the old classifier keeps its seeded initialisation", messages);
    }

    [Fact]
    public void FileOfAnotherArchitectureStopsWithTheKeyReportAndExitCode2()
    {
        using var scratch = new ScratchFolder();
        string file = scratch.PathOf("resnet-mini.safetensors");
        using (torch.NewDisposeScope())
        {
            var spec = new ModelSpec { Backbone = new PluginRef("resnet-mini"), EmbeddingDim = 8 };
            using var other = ModelBuilder.Build(BackbonePlugins.Factory("resnet-mini"), (1, 16, 16), spec, classes: 2, seed: 1, torch.CPU);
            Safetensors.SaveStateDict(file, other.state_dict().ToDictionary(e => e.Key, e => e.Value.detach().contiguous()));
        }

        var (exitCode, _, error) = CliProcess.Run(scratch.Root, "run", Experiment(scratch, "wrong", file));

        Assert.Equal(2, exitCode);
        Assert.Contains($"error: Weight file '{file}' does not fit the old model built from the model section (old.checkpoint.path)", error);
        Assert.Contains("missing from the file: network.trunk.", error);
        Assert.Contains("in the file but not in the model: network.trunk.", error);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public void MissingFileIsNamedBeforeAnythingTrains()
    {
        using var scratch = new ScratchFolder();
        string missing = scratch.PathOf("nowhere/old.pt");

        var (exitCode, _, error) = CliProcess.Run(scratch.Root, "run", Experiment(scratch, "missing", missing));

        Assert.Equal(2, exitCode);
        Assert.Contains("old.checkpoint.path", error);
        Assert.Contains($"file '{missing}' not found", error);
        Assert.False(Directory.Exists(scratch.PathOf("runs-missing")));
    }

    /// <summary>Trains the tiny experiment and loads the old model it cached, as it was when the new model trained against it.</summary>
    private static (RunResult Trained, RetrievalModel Old) TrainAndLoadOldModel(ScratchFolder scratch)
    {
        using var run = InProcessRun.Open(Experiment(scratch, "trained", checkpoint: null));
        var result = run.Run();
        var old = ModelBuilder.Build(Cnn4(), (1, 16, 16), Cnn4Spec, classes: 2, seed: 1, torch.CPU);
        old.load(Path.Combine(run.Experiment.OldModelFolder, "model.bin"));
        return (result, old);
    }

    /// <summary>The tiny experiment's model: cnn4 4/4/8/8 with 8-wide embeddings.</summary>
    private static ModelSpec Cnn4Spec => new() { Backbone = new PluginRef("cnn4"), EmbeddingDim = 8 };

    private static Abstractions.Models.IBackboneFactory Cnn4() =>
        BackbonePlugins.Factory("cnn4", new Dictionary<string, string?> { ["widths:0"] = "4", ["widths:1"] = "4", ["widths:2"] = "8", ["widths:3"] = "8" });

    private static RunResult Run(string experiment, out string messages)
    {
        using var run = InProcessRun.Open(experiment);
        var result = run.Run();
        messages = run.Messages.ToString();
        return result;
    }

    private static ResolvedExperiment Resolve(string experiment)
    {
        using var run = InProcessRun.Open(experiment);
        return run.Experiment;
    }

    private static string Sha256(string file) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(file)));

    /// <summary>The tiny experiment writing to runs-NAME, its old model from <paramref name="checkpoint"/> when given.</summary>
    private static string Experiment(ScratchFolder scratch, string name, string? checkpoint, string keyMap = "[]")
    {
        string output = scratch.PathOf("runs-" + name).Replace("\\", "/", StringComparison.Ordinal);
        string json = TinyExperiment.Json(extra: """, "tracking": { "trackers": [] }""")
            .Replace("\"output\": \"runs\"", $"\"output\": \"{output}\"", StringComparison.Ordinal);
        if (checkpoint is not null)
        {
            string path = checkpoint.Replace("\\", "/", StringComparison.Ordinal);
            json = json.Replace("\"old\": { ", $"\"old\": {{ \"checkpoint\": {{ \"path\": \"{path}\", \"keyMap\": {keyMap} }}, ", StringComparison.Ordinal);
        }

        return scratch.File(name + ".json", json);
    }
}
