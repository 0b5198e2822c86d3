using CompatLab.Abstractions;
using CompatLab.Engine.Models;
using CompatLab.Engine.Pruning;
using CompatLab.Tests.Support;
using Xunit;
using static TorchSharp.torch;

namespace CompatLab.Tests.Pruning;

public class CapacityGridEvaluatorTests
{
    [Theory]
    [InlineData("layer")]
    [InlineData("global")]
    public void EachCapacityKeepsTheExpectedWeightsInNestedMasksAndTheModelComesBackUntouched(string scopeName)
    {
        using var scope = NewDisposeScope();
        using var setup = new TinyRetrievalSetup();
        var model = setup.Model;
        var layers = MaskableLayers.In(model);
        var pruningScope = PruningScopeNames.Parse(scopeName, "scope");
        model.train();
        var stateBefore = model.state_dict().ToDictionary(p => p.Key, p => p.Value.clone());
        var seen = new List<(double Capacity, Tensor[] Masks, bool StatisticsChanged)>();

        var result = Evaluator("magnitude", [0.5, 0.2], pruningScope, recalibrationBatches: 3).Evaluate(
            model,
            setup.Training,
            setup.Test,
            (capacity, live, masks) =>
            {
                Assert.Same(model, live);
                Assert.All(layers, l => Assert.NotNull(l.Mask));
                bool changed = RunningStatistics(model).Any(b => !b.Live.equal(stateBefore[b.Name]).all().item<bool>());
                seen.Add((capacity.Capacity, layers.Select(l => l.Mask!.clone()).ToArray(), changed));
            });

        long total = layers.Sum(l => l.Weight.numel());
        Assert.Equal([0.5, 0.2], result.Capacities.Select(c => c.Capacity));
        foreach (var (capacity, masks, statisticsChanged) in seen)
        {
            var row = result.Capacities.Single(c => c.Capacity == capacity);
            long kept = masks.Sum(m => (long)m.sum().item<float>());
            Assert.Equal(kept, row.KeptWeights);
            Assert.Equal(total, row.MaskedLayerWeights);
            Assert.True(statisticsChanged, $"BatchNorm was not recalibrated at {capacity}");
            Assert.Equal(3, row.RecalibrationBatches);
            if (pruningScope == PruningScope.Layer)
            {
                Assert.All(layers.Zip(masks), p => Assert.Equal(KeepCounts.ForCapacity(p.First.Weight.numel(), capacity), (long)p.Second.sum().item<float>()));
            }
            else
            {
                Assert.Equal(KeepCounts.ForCapacity(total, capacity), kept);
                Assert.All(layers.Zip(masks), p => Assert.True(p.Second.sum().item<float>() >= KeepCounts.GlobalFloor(p.First.Weight.numel())));
            }
        }

        // Nested: everything the 20% subnetwork keeps, the 50% one keeps too.
        Assert.All(seen[1].Masks.Zip(seen[0].Masks), p => Assert.True((p.First * (1 - p.Second)).sum().item<float>() == 0));
        Assert.All(layers, l => Assert.Null(l.Mask));
        Assert.All(model.state_dict(), p => Assert.True(p.Value.equal(stateBefore[p.Key]).all().item<bool>(), p.Key));
        Assert.All(model.parameters(), p => Assert.True(p.grad is null || p.grad.count_nonzero().item<long>() == 0));
        Assert.True(model.training);
        Assert.True(result.Capacities[1].SubSelf.Map is > 0 and <= 1);
    }

    [Fact]
    public void FullCapacityWithMagnitudeIsTheDenseModel()
    {
        using var scope = NewDisposeScope();
        using var setup = new TinyRetrievalSetup();

        var result = Evaluator("magnitude", [1.0], PruningScope.Layer, recalibrationBatches: 50).Evaluate(setup.Model, setup.Training, setup.Test);

        var full = Assert.Single(result.Capacities);
        Assert.Equal(full.MaskedLayerWeights, full.KeptWeights);
        Assert.Equal(0, full.RecalibrationBatches);
        Assert.Equal(result.DenseSelf, full.SubSelf);
        Assert.Equal(result.DenseSelf.Map, full.SubToDense.Map);
        Assert.Equal(result.DenseSelf.RecallAt1, full.SubToDense.RecallAt1);
        Assert.Equal(full.NetworkParameters, full.KeptParameters);
    }

    [Fact]
    public void WithoutRecalibrationTheSubnetworkRunsOnTheDenseStatistics()
    {
        using var scope = NewDisposeScope();
        using var setup = new TinyRetrievalSetup();
        var before = RunningStatistics(setup.Model).ToDictionary(b => b.Name, b => b.Live.clone());

        var result = Evaluator("random", [0.3], PruningScope.Layer, recalibrationBatches: 0).Evaluate(
            setup.Model,
            setup.Training,
            setup.Test,
            (_, live, _) => Assert.All(RunningStatistics(live), b => Assert.True(b.Live.equal(before[b.Name]).all().item<bool>(), b.Name)));

        Assert.Equal(0, Assert.Single(result.Capacities).RecalibrationBatches);
    }

    [Fact]
    public void TaylorAccumulatesGradientsWithoutTouchingStatisticsAndLeavesNoGradients()
    {
        using var scope = NewDisposeScope();
        using var setup = new TinyRetrievalSetup();
        var before = setup.Model.state_dict().ToDictionary(p => p.Key, p => p.Value.clone());
        foreach (var parameter in setup.Model.parameters())
        {
            parameter.requires_grad = false;
        }

        var result = Evaluator("taylor", [0.4], PruningScope.Layer, recalibrationBatches: 2).Evaluate(setup.Model, setup.Training, setup.Test);

        Assert.Equal(KeepCounts.ForCapacity(MaskableLayers.In(setup.Model)[0].Weight.numel(), 0.4), KeptIn(setup, 0.4, "taylor", 0));
        Assert.True(result.Capacities[0].SubSelf.Map > 0);
        Assert.All(setup.Model.state_dict(), p => Assert.True(p.Value.equal(before[p.Key]).all().item<bool>(), p.Key));
        Assert.All(setup.Model.parameters(), p => Assert.False(p.requires_grad));
        Assert.All(setup.Model.parameters(), p => Assert.True(p.grad is null || p.grad.count_nonzero().item<long>() == 0));
    }

    [Fact]
    public void LearnedScoreNeedsScoresAndUsesThemWhenThere()
    {
        using var scope = NewDisposeScope();
        using var plain = new TinyRetrievalSetup();
        using var scored = new TinyRetrievalSetup(withScores: true);

        var error = Assert.Throws<CompatLabUserException>(() => Evaluator("learned-score", [0.5], PruningScope.Layer, 1).Evaluate(plain.Model, plain.Training, plain.Test));
        Assert.Contains("has no learned scores", error.Message);
        Assert.All(MaskableLayers.In(plain.Model), l => Assert.Null(l.Mask));

        var masksSeen = new List<Tensor>();
        Evaluator("learned-score", [0.5], PruningScope.Layer, 1).Evaluate(scored.Model, scored.Training, scored.Test, (_, _, masks) => masksSeen.Add(masks.Kept[0].clone()));
        using var ranking = WeightRanking.Build([MaskableLayers.In(scored.Model)[0].Scores!.abs()], PruningScope.Layer);
        Assert.True(masksSeen.Single().equal(ranking.Mask(0, 0.5)).all().item<bool>());
    }

    [Fact]
    public void APrunedModelSavedDuringTheGridLoadsBackAsTheSameSubnetwork()
    {
        using var scope = NewDisposeScope();
        using var setup = new TinyRetrievalSetup();
        using var scratch = new ScratchFolder();
        Tensor? liveFeatures = null;
        var layerCount = MaskableLayers.In(setup.Model).Count;

        Evaluator("magnitude", [0.3], PruningScope.Global, recalibrationBatches: 2).Evaluate(setup.Model, setup.Training, setup.Test, (_, live, masks) =>
        {
            PrunedModelFiles.Save(live, masks, scratch.Root);
            liveFeatures = live.EmbedAll(setup.Test.Images, CPU);
        });

        using var twin = TinyRetrievalSetup.BuildModel(withScores: false, seed: 99);
        using (var masks = PrunedModelFiles.Load(twin, scratch.Root))
        {
            using var loadedFeatures = twin.EmbedAll(setup.Test.Images, CPU);
            Assert.True(loadedFeatures.allclose(liveFeatures!, rtol: 1e-5, atol: 1e-6));
            Assert.All(MaskableLayers.In(twin), l => Assert.Equal(0, (l.Weight * (1 - l.Mask!)).count_nonzero().item<long>()));
        }

        Assert.All(MaskableLayers.In(twin), l => Assert.Null(l.Mask));
        Assert.Equal(layerCount, PrunedModelFiles.ReadMasks(Path.Combine(scratch.Root, PrunedModelFiles.MasksFile)).Count);
    }

    [Fact]
    public void SavedModelStateTellsWhetherTheModelHasScores()
    {
        using var scope = NewDisposeScope();
        using var scratch = new ScratchFolder();
        using var plain = TinyRetrievalSetup.BuildModel(withScores: false, seed: 1);
        using var scored = TinyRetrievalSetup.BuildModel(withScores: true, seed: 1);
        plain.save(scratch.PathOf("plain.bin"));
        scored.save(scratch.PathOf("scored.bin"));

        Assert.Equal(plain.state_dict().Keys, SavedModelState.Keys(scratch.PathOf("plain.bin")));
        Assert.False(SavedModelState.HasScores(scratch.PathOf("plain.bin")));
        Assert.True(SavedModelState.HasScores(scratch.PathOf("scored.bin")));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void CapacitiesOutsideZeroToOneAreRefused(double capacity)
    {
        var error = Assert.Throws<CompatLabUserException>(() => Evaluator("magnitude", [0.5, capacity], PruningScope.Layer, 1));
        Assert.Contains("(0, 1]", error.Message);
    }

    private static CapacityGridEvaluator Evaluator(string criterion, double[] capacities, PruningScope scope, int recalibrationBatches) =>
        new(PruningPlugins.Create(criterion), new CapacityGridOptions { Capacities = capacities, Scope = scope, RecalibrationBatches = recalibrationBatches, BatchSize = 16, Seed = 3 }, CPU, TextWriter.Null);

    private static long KeptIn(TinyRetrievalSetup setup, double capacity, string criterion, int layer)
    {
        long kept = 0;
        Evaluator(criterion, [capacity], PruningScope.Layer, 0).Evaluate(setup.Model, setup.Training, setup.Test, (_, _, masks) => kept = (long)masks.Kept[layer].sum().item<float>());
        return kept;
    }

    private static IEnumerable<(string Name, Tensor Live)> RunningStatistics(RetrievalModel model) =>
        model.named_buffers().Where(b => b.name.Contains("running_", StringComparison.Ordinal)).Select(b => (b.name, b.buffer));
}
