using System.Text;
using System.Text.Json;
using CompatLab.Abstractions;
using CompatLab.Engine.Runs;
using CompatLab.Engine.Training;
using CompatLab.Tests.Support;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace CompatLab.Tests.Reliability;

/// <summary>A NaN or infinite loss stops the run at its step, and no checkpoint with non-finite weights is written or resumed.</summary>
public class NonFiniteGuardTests
{
    [Fact]
    public void NanLossStopsTheRunAtItsStepNamingTheTermAndThePlugin()
    {
        using var scratch = new ScratchFolder();
        string file = scratch.File("e.json", FaultyPlugin.Experiment(scratch.Root, """{ "nanAtStep": 4 }"""));
        using var run = InProcessRun.Open(file);

        var error = Assert.Throws<NonFiniteTrainingException>(() => run.Run());

        // Batch index 4 is the fifth step; the checkpoint every 3 steps was written at step 3 and none after.
        Assert.Contains("new: loss_comp from loss plugin 'faulty' became NaN or infinite at step 5", error.Message);
        Assert.Contains("no checkpoint after step 3", error.Message);
        var steps = Directory.GetFiles(Path.Combine(run.Experiment.RunFolder, "checkpoints", "new"), "*.ckpt").Select(Path.GetFileName).ToList();
        Assert.Equal(new[] { "step-000000003.ckpt" }, steps);
        Assert.Equal(RunState.Failed, ExperimentRunner.ReadState(run.Experiment.RunFolder)!.Status);
        Assert.False(File.Exists(Path.Combine(run.Experiment.RunFolder, "new-model.bin")));
    }

    [Fact]
    public void NonFiniteGradientBehindAFiniteLossStopsTheRunBeforeTheNextCheckpoint()
    {
        using var scratch = new ScratchFolder();
        string file = scratch.File("e.json", FaultyPlugin.Experiment(scratch.Root, """{ "nanGradientAtStep": 4 }"""));
        using var run = InProcessRun.Open(file);

        var error = Assert.Throws<NonFiniteTrainingException>(() => run.Run());

        // Step 5's gradient poisons the weights; step 6 (a logging step, before its checkpoint) finds the damage, in
        // its losses on the CPU, where they are read every step, or in the weights on a GPU.
        Assert.Matches(@"^new: .+ became NaN or infinite at step 6; training stopped and no checkpoint after step 3", error.Message);
        var steps = Directory.GetFiles(Path.Combine(run.Experiment.RunFolder, "checkpoints", "new"), "*.ckpt").Select(Path.GetFileName).ToList();
        Assert.Equal(new[] { "step-000000003.ckpt" }, steps);
    }

    [Fact]
    public void CheckpointWithNonFiniteWeightsIsNeverWritten()
    {
        using var scratch = new ScratchFolder();
        var store = new CheckpointStore(scratch.PathOf("ckpt"), keep: 2);
        using var model = nn.Linear(2, 2);
        using var optimizer = optim.SGD(model.parameters(), 0.1);
        using (no_grad())
        {
            model.weight![1, 0] = tensor(float.PositiveInfinity);
        }

        var error = Assert.Throws<NonFiniteTrainingException>(() => store.Save(new TrainingPosition(0, 4, 4), model, optimizer, new Dictionary<string, Tensor>()));

        Assert.Contains("the weight 'weight' is NaN or infinite", error.Message);
        Assert.False(Directory.Exists(scratch.PathOf("ckpt")) && Directory.EnumerateFileSystemEntries(scratch.PathOf("ckpt")).Any());
    }

    [Fact]
    public void ResumeSkipsACheckpointWithNonFiniteWeights()
    {
        using var scratch = new ScratchFolder();
        var store = new CheckpointStore(scratch.PathOf("ckpt"), keep: 3);
        using var model = nn.Linear(2, 2);
        using var optimizer = optim.SGD(model.parameters(), 0.1);
        store.Save(new TrainingPosition(0, 1, 1), model, optimizer, new Dictionary<string, Tensor>());
        WriteWithNaN(scratch.PathOf("ckpt/step-000000002.ckpt"), model, optimizer);
        var warnings = new List<string>();

        var loaded = store.LoadLatest(model, optimizer, warnings.Add);

        Assert.Equal(1, loaded!.Value.Position.Step);
        Assert.Contains("is NaN or infinite", Assert.Single(warnings));
        Assert.True(model.weight!.isfinite().all().item<bool>());
    }

    [Fact]
    public void ResumeRefusesWhenEveryCheckpointHasNonFiniteWeights()
    {
        using var scratch = new ScratchFolder();
        var store = new CheckpointStore(scratch.PathOf("ckpt"), keep: 3);
        using var model = nn.Linear(2, 2);
        using var optimizer = optim.SGD(model.parameters(), 0.1);
        WriteWithNaN(scratch.PathOf("ckpt/step-000000002.ckpt"), model, optimizer);

        var error = Assert.Throws<CompatLabUserException>(() => store.LoadLatest(model, optimizer, _ => { }));

        Assert.Contains($"no checkpoint in {scratch.PathOf("ckpt")} can be resumed", error.Message);
    }

    /// <summary>A checkpoint in the store's format whose weights are NaN, as a build without the guard could leave.</summary>
    private static void WriteWithNaN(string path, nn.Module<Tensor, Tensor> model, TorchSharp.Modules.OptimizerHelper optimizer)
    {
        using var copy = nn.Linear(2, 2);
        using (no_grad())
        {
            copy.weight!.fill_(float.NaN);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var stream = File.Create(path);
        using var writer = new BinaryWriter(stream, Encoding.UTF8);
        writer.Write("COMPATLAB-CKPT-1");
        writer.Write(JsonSerializer.Serialize(new TrainingPosition(0, 2, 2)));
        copy.save(writer);
        optimizer.save_state_dict(writer);
        writer.Write(0);
    }
}
