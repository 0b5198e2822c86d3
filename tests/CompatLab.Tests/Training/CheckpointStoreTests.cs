using CompatLab.Engine.Training;
using CompatLab.Tests.Support;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace CompatLab.Tests.Training;

public class CheckpointStoreTests
{
    [Fact]
    public void NewestCheckpointRestoresModelOptimiserPositionAndExtraState()
    {
        using var scratch = new ScratchFolder();
        var store = new CheckpointStore(scratch.PathOf("ckpt"), keep: 2);
        using var model = nn.Linear(3, 2);
        using var optimizer = optim.SGD(model.parameters(), 0.1, 0.9);
        for (int step = 1; step <= 3; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            model.forward(ones(4, 3)).sum().backward();
            optimizer.step();
            store.Save(new TrainingPosition(0, step, step), model, optimizer, new Dictionary<string, Tensor> { ["bank"] = full(2, (float)step) });
        }

        Assert.Equal(2, Directory.GetFiles(scratch.PathOf("ckpt"), "*.ckpt").Length);
        using var restored = nn.Linear(3, 2);
        using var restoredOptimizer = optim.SGD(restored.parameters(), 0.1, 0.9);
        var loaded = store.LoadLatest(restored, restoredOptimizer, _ => { });

        Assert.NotNull(loaded);
        Assert.Equal(new TrainingPosition(0, 3, 3), loaded.Value.Position);
        Assert.Equal(3f, loaded.Value.ExtraState["bank"][0].item<float>());
        Assert.True(model.weight!.allclose(restored.weight!));

        // The same next step from both must give the same weights: momentum buffers came back too.
        foreach (var (m, o) in new[] { (model, optimizer), (restored, restoredOptimizer) })
        {
            using var scope = NewDisposeScope();
            o.zero_grad();
            m.forward(ones(4, 3)).sum().backward();
            o.step();
        }

        Assert.True(model.weight!.allclose(restored.weight!));
    }

    [Fact]
    public void TornNewestFileFallsBackToTheOlderOne()
    {
        using var scratch = new ScratchFolder();
        var store = new CheckpointStore(scratch.PathOf("ckpt"), keep: 3);
        using var model = nn.Linear(2, 2);
        using var optimizer = optim.SGD(model.parameters(), 0.1);
        store.Save(new TrainingPosition(0, 1, 1), model, optimizer, new Dictionary<string, Tensor>());
        File.WriteAllBytes(scratch.PathOf("ckpt/step-000000002.ckpt"), new byte[] { 1, 2, 3 });
        var warnings = new List<string>();

        var loaded = store.LoadLatest(model, optimizer, warnings.Add);

        Assert.Equal(1, loaded!.Value.Position.Step);
        Assert.Single(warnings);
    }

    [Fact]
    public void EmptyStoreHasNothingToResume()
    {
        using var scratch = new ScratchFolder();
        using var model = nn.Linear(2, 2);
        using var optimizer = optim.SGD(model.parameters(), 0.1);

        Assert.Null(new CheckpointStore(scratch.PathOf("none"), 2).LoadLatest(model, optimizer, _ => { }));
    }
}
