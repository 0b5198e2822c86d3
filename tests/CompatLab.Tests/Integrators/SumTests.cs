using CompatLab.Abstractions.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace CompatLab.Tests.Integrators;

public class SumTests
{
    [Fact]
    public void SumOfTaskGradientsEqualsOneBackwardOfTheSummedLoss()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(11);
        var weight = randn(3, 4, generator: generator).requires_grad_();
        var inputs = Enumerable.Range(0, 3).Select(_ => randn(5, 4, generator: generator)).ToList();
        Func<int, Tensor> loss = k => (inputs[k].mm(weight.t()) - k).square().mean() * (k + 1);

        var taskGradients = inputs.Select((_, k) => autograd.grad([loss(k)], [weight])[0]).ToList();
        var summedLossGradient = autograd.grad([loss(0) + loss(1) + loss(2)], [weight])[0];
        var merged = IntegratorPlugins.Create("sum")
            .Integrate(taskGradients, new GradientIntegrationContext("w", 0, new Random(1)));

        Assert.True(merged.Gradient.allclose(summedLossGradient, rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void ReportsEqualWeightsAndConflictsOnTheOriginalGradients()
    {
        // Rows of two. Pair (0,1): dot -1 overall, conflicting in row 0 only. Pair (0,2): dot +1 overall, yet row 1
        // conflicts (-1). Pair (1,2): dot -2 overall, conflicting in row 0 only. Pairs 2 of 3, rows 3 of 6.
        double[][] gradients = [[1, 0, 1, 1], [-1, 0, 0, 0], [2, 1, -1, 0]];

        var (merged, telemetry) = IntegratorPlugins.Merge(
            IntegratorPlugins.Create("sum"), gradients, [2, 1, 1, 2], rowWise: true, new Random(1));

        Assert.Equal([2.0, 1, 0, 1], merged);
        Assert.Equal(2.0 / 3, telemetry["conflict_pair_fraction"], 12);
        Assert.Equal(3.0 / 6, telemetry["conflict_row_fraction"], 12);
        Assert.All(Enumerable.Range(0, 3), k => Assert.Equal(1.0 / 3, telemetry[$"weight_{k}"], 12));
    }
}
