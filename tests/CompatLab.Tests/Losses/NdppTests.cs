using Xunit;
using static CompatLab.Tests.Losses.OldModels;
using static CompatLab.Tests.Losses.PerturbationRun;
using static CompatLab.Tests.Losses.PrototypeMath;
using static TorchSharp.torch;

namespace CompatLab.Tests.Losses;

/// <summary>
/// Four classes in 3-d. Old means put classes 0 and 1 close together (cosine about 0.98); the new batch separates
/// them (new cosine 0), so NDPP should push them apart. The first refresh is at step 1.
/// </summary>
public class NdppTests
{
    private static readonly float[][] OldMeans = [[2, 0.2f, 0], [2, -0.2f, 0], [0, 1, 0.2f], [0.1f, 0.1f, 3]];
    private static readonly float[][] NewRows = [[1, 1, 0], [1, -1, 0], [0, 1, 1], [-1, 0, 1]];
    private static readonly long[] Labels = [0, 1, 2, 3];

    private static double[][] Old() => Units(OldMeans.Select(r => r.Select(x => (double)x).ToArray()).ToArray());

    private static double[][] New() => NewRows.Select(r => r.Select(x => (double)x).ToArray()).ToArray();

    private static Dictionary<string, object> Options(Dictionary<string, object>? extra = null)
    {
        var options = new Dictionary<string, object> { ["RefreshInterval"] = 1L };
        foreach ((string key, object value) in extra ?? [])
        {
            options[key] = value;
        }

        return options;
    }

    private static double[][] RefreshOnce(Dictionary<string, object> options)
    {
        using var loss = Prepared("ndpp", Options(options), Rows(OldMeans), 3);
        Step(loss, Batches.Of(Labels, Rows(NewRows), Rows(OldMeans)), 1);
        return Delta(loss);
    }

    private static void Close(double[][] expected, double[][] actual, int precision = 5)
    {
        for (int c = 0; c < expected.Length; c++)
        {
            for (int d = 0; d < expected[c].Length; d++)
            {
                Assert.Equal(expected[c][d], actual[c][d], precision);
            }
        }
    }

    [Theory]
    [InlineData(5, 0.1, 0.5, 0.3)]
    [InlineData(2, 0.1, 0.5, 0.3)]
    [InlineData(1, 0.5, 2.0, 10.0)]
    [InlineData(3, 0.05, 0.2, 0.01)]
    public void PerturbationMatchesTheFormula(int k, double t, double beta, double eps)
    {
        using var scope = NewDisposeScope();

        double[][] delta = RefreshOnce(new() { ["Neighbours"] = k, ["Temperature"] = t, ["Beta"] = beta, ["Eps"] = eps });

        double[][] expected = NdppDelta(Old(), New(), Math.Min(k, 3), t, beta, eps);
        Assert.Contains(expected, row => HandMath.Norm(row) > 1e-3);
        Close(expected, delta);
    }

    [Fact]
    public void LossAfterTheRefreshUsesThePseudoOldPrototypes()
    {
        using var scope = NewDisposeScope();
        using var loss = Prepared("ndpp", Options(), Rows(OldMeans), 3);
        var batch = Batches.Of(Labels, Rows(NewRows), Rows(OldMeans));
        Step(loss, batch, 1);
        Tensor probe = Rows([1, 0.5f, 0], [0.3f, -1, 0.2f], [0, 1, 0.4f]);

        double value = loss.Compute(Batches.Of([0, 1, 2], probe, Rows([1, 0, 0], [1, 0, 0], [1, 0, 0]))).item<float>();

        double[][] pseudo = Pseudo(Old(), NdppDelta(Old(), New(), 3, 0.1, 0.5, 0.3));
        Assert.Equal(PrototypeCrossEntropy(Batches.ToRows(probe), [0, 1, 2], pseudo, 20), value, 4);
    }

    [Fact]
    public void PrototypeMovesAwayFromACloseNeighbour()
    {
        using var scope = NewDisposeScope();

        double[][] pseudo = Pseudo(Old(), RefreshOnce([]));

        double[][] old = Old();
        Assert.True(Dot(pseudo[0], pseudo[1]) < Dot(old[0], old[1]) - 1e-3, $"{Dot(pseudo[0], pseudo[1])} vs {Dot(old[0], old[1])}");
        Assert.True(Dot(pseudo[0], old[1]) < Dot(old[0], old[1]));
        Assert.True(Dot(pseudo[1], old[0]) < Dot(old[0], old[1]));
    }

    [Fact]
    public void NoPushWhereTheNewModelSeparatesAPairLessThanTheOldOne()
    {
        using var scope = NewDisposeScope();

        // New features equal to the old means: every centred gap is 0, so nothing moves.
        using var loss = Prepared("ndpp", Options(), Rows(OldMeans), 3);
        Step(loss, Batches.Of(Labels, Rows(OldMeans), Rows(OldMeans)), 1);

        Assert.All(Delta(loss).SelectMany(r => r), d => Assert.Equal(0, d, 6));
    }

    [Fact]
    public void ClassesTheNewModelHasNotSeenAreNotPushed()
    {
        using var scope = NewDisposeScope();
        using var loss = Prepared("ndpp", Options(), Rows(OldMeans), 3);

        Step(loss, Batches.Of([0, 1], Rows(NewRows[0], NewRows[1]), Rows(OldMeans[0], OldMeans[1])), 1);

        double[][] delta = Delta(loss);
        Assert.True(HandMath.Norm(delta[0]) > 1e-3);
        Assert.Equal(0, HandMath.Norm(delta[2]), 6);
        Assert.Equal(0, HandMath.Norm(delta[3]), 6);
    }
}
