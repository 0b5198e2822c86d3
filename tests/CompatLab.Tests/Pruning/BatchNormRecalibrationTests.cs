using CompatLab.Engine.Models;
using CompatLab.Engine.Pruning;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace CompatLab.Tests.Pruning;

public class BatchNormRecalibrationTests
{
    [Theory]
    [InlineData(3, 3)]
    [InlineData(5, 2)]
    public void RunningStatisticsBecomeTheAverageBatchStatisticsUnderTheMaskAndNothingElseChanges(int batchCount, int maxBatches)
    {
        using var scope = NewDisposeScope();
        using var network = Build(out var trunk, out var projectorNorm);
        using var twin = Build(out var twinTrunk, out _);
        twin.load_state_dict(network.state_dict()); // other tests draw from torch's global generator meanwhile
        using var generator = new Generator(29);
        var batches = Enumerable.Range(0, batchCount).Select(b => (randn(6, 1, 8, 8, generator: generator) * 2) + b).ToList();
        using var ranking = WeightRanking.Build([trunk.Conv.Weight.abs()], PruningScope.Layer);
        using var masks = LayerMasks.Apply([trunk.Conv], ranking, 0.4);
        using var twinMasks = LayerMasks.Apply([twinTrunk.Conv], ranking, 0.4);
        using (no_grad())
        {
            trunk.Norm.running_mean!.fill_(3);
            trunk.Norm.running_var!.fill_(7);
            projectorNorm.running_mean!.fill_(-2);
        }

        network.eval();
        var parametersBefore = network.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());

        int used = BatchNormRecalibration.Recalibrate(network, batches, maxBatches);

        var (convMean, convVar, projectedMean, projectedVar) = ReferenceStatistics(twin, twinTrunk, batches.Take(maxBatches).ToList());
        Assert.Equal(maxBatches, used);
        Assert.True(trunk.Norm.running_mean!.allclose(convMean, rtol: 1e-4, atol: 1e-5));
        Assert.True(trunk.Norm.running_var!.allclose(convVar, rtol: 1e-4, atol: 1e-5));
        Assert.True(projectorNorm.running_mean!.allclose(projectedMean, rtol: 1e-4, atol: 1e-5));
        Assert.True(projectorNorm.running_var!.allclose(projectedVar, rtol: 1e-4, atol: 1e-5));
        Assert.Equal(maxBatches, trunk.Norm.num_batches_tracked!.item<long>());
        Assert.All(network.named_parameters(), p => Assert.True(p.parameter.equal(parametersBefore[p.name]).all().item<bool>(), p.name));
        Assert.All(network.parameters(), p => Assert.Null(p.grad));
        Assert.False(network.training);
        Assert.False(trunk.Norm.training);
        Assert.Equal(0.1, trunk.Norm.momentum);
        Assert.Equal(0.1, projectorNorm.momentum);
    }

    [Fact]
    public void NoBatchesIsRefusedBeforeAnythingIsReset()
    {
        using var scope = NewDisposeScope();
        using var network = Build(out var trunk, out _);
        trunk.Norm.running_mean!.fill_(3);

        Assert.Throws<ArgumentException>(() => BatchNormRecalibration.Recalibrate(network, [], 4));
        Assert.Equal(3f, trunk.Norm.running_mean!.mean().item<float>());
    }

    private static EmbeddingNetwork Build(out TinyTrunk trunk, out BatchNorm1d projectorNorm)
    {
        trunk = new TinyTrunk(3);
        var network = new EmbeddingNetwork(trunk, 4);
        projectorNorm = network.named_modules().Select(m => m.module).OfType<BatchNorm1d>().Single();
        return network;
    }

    /// <summary>Plain means over the batches of each BatchNorm input's batch mean and unbiased variance.</summary>
    private static (Tensor ConvMean, Tensor ConvVar, Tensor ProjectedMean, Tensor ProjectedVar) ReferenceStatistics(
        EmbeddingNetwork twin, TinyTrunk twinTrunk, List<Tensor> batches)
    {
        using var noGrad = no_grad();
        twin.train();
        var projector = twin.named_modules().Single(m => m.name == "projector").module as Linear;
        var convMeans = new List<Tensor>();
        var convVars = new List<Tensor>();
        var projectedMeans = new List<Tensor>();
        var projectedVars = new List<Tensor>();
        foreach (var batch in batches)
        {
            var convolved = twinTrunk.Conv.call(batch).transpose(0, 1).flatten(1);
            convMeans.Add(convolved.mean([1]));
            convVars.Add(convolved.var(1, unbiased: true));
            var projected = projector!.call(twinTrunk.call(batch));
            projectedMeans.Add(projected.mean([0]));
            projectedVars.Add(projected.var(0, unbiased: true));
        }

        return (stack(convMeans).mean([0]), stack(convVars).mean([0]), stack(projectedMeans).mean([0]), stack(projectedVars).mean([0]));
    }
}
