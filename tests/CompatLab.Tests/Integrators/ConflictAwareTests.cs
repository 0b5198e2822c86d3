using CompatLab.Abstractions;
using Xunit;

namespace CompatLab.Tests.Integrators;

public class ConflictAwareTests
{
    private static readonly long[] TwoFilters = [2, 1, 1, 2];

    [Fact]
    public void TwoTasksProjectOnlyTheConflictingFilterAndWeighByCosine()
    {
        // Filter 0: (1,0) vs (-1,1), dot -1, conflicts. Filter 1: (1,1) vs (1,0), dot 1, does not.
        //   g^0 = [(1,0) + 0.5 (-1,1), (1,1)] = [(0.5,0.5), (1,1)]      cos(g^0, g0) = 2.5 / (sqrt 2.5 sqrt 3) = sqrt(5/6)
        //   g^1 = [(-1,1) + 1 (1,0), (1,0)]  = [(0,1), (1,0)]           cos(g^1, g1) = 2 / (sqrt 2 sqrt 3)     = sqrt(2/3)
        double[] projected0 = [0.5, 0.5, 1, 1];
        double[] projected1 = [0, 1, 1, 0];
        double a0 = Math.Sqrt((1 + Math.Sqrt(5.0 / 6)) / 2);
        double a1 = Math.Sqrt((1 + Math.Sqrt(2.0 / 3)) / 2);
        double w0 = a0 / (a0 + a1);
        double w1 = a1 / (a0 + a1);
        double[] expected = projected0.Select((v, k) => 2 * ((w0 * v) + (w1 * projected1[k]))).ToArray();

        var (merged, telemetry) = IntegratorPlugins.Merge(
            IntegratorPlugins.Create("conflict-aware"), [[1, 0, 1, 1], [-1, 1, 1, 0]], TwoFilters, rowWise: true, new Random(5));

        PcGradTests.AssertClose(expected, merged);
        Assert.Equal(w0, telemetry["weight_0"], 1e-12);
        Assert.Equal(w1, telemetry["weight_1"], 1e-12);
        Assert.Equal(0.0, telemetry["conflict_pair_fraction"]); // the whole tensors are orthogonal (dot 0)
        Assert.Equal(0.5, telemetry["conflict_row_fraction"]);
    }

    [Fact]
    public void WithoutRowsTheSameGradientsDoNotConflictAndAreSummed()
    {
        var (merged, telemetry) = IntegratorPlugins.Merge(
            IntegratorPlugins.Create("conflict-aware"), [[1, 0, 1, 1], [-1, 1, 1, 0]], TwoFilters, rowWise: false, new Random(5));

        PcGradTests.AssertClose([0, 1, 2, 1], merged);
        Assert.Equal(0.5, telemetry["weight_0"], 1e-12);
        Assert.Equal(0.0, telemetry["conflict_row_fraction"]);
    }

    [Theory]
    [InlineData(1, new[] { 0.8, -0.4, 0.5, 0.5 }, new[] { -1.2, 0.6, 0, 1 }, new[] { -1.5, -1.5, 0, 1 })]
    [InlineData(0, new[] { 0.5, 0.5, 0.5, 0.5 }, new[] { 0.0, 1, 0, 1 }, new[] { 0.0, -2, 0, 1 })]
    public void ThreeTasksProjectFromTheOriginalRowAndTheLastConflictingPartnerWins(
        int draw, double[] projected0, double[] projected1, double[] projected2)
    {
        // Filter 0: g0 (1,0), g1 (-1,1), g2 (-1,-2): every pair conflicts (dots -1, -1, -1).
        // Filter 1: g0 (1,0), g1 (0,1), g2 (-1,1): only pair (0,2) conflicts (dot -1).
        // Draw 1 keeps partners ascending, draw 0 reverses them; the row comes from the last conflicting partner,
        // projected from the ORIGINAL row:
        //   ascending, filter 0: g^0 = g0 + (1/5) g2 = (0.8,-0.4); g^1 = g1 + (1/5) g2 = (-1.2,0.6); g^2 = g2 + (1/2) g1 = (-1.5,-1.5)
        //   reversed,  filter 0: g^0 = g0 + (1/2) g1 = (0.5,0.5);  g^1 = g1 + g0 = (0,1);            g^2 = g2 + g0 = (0,-2)
        //   filter 1 (either):   g^0 = g0 + (1/2) g2 = (0.5,0.5);  g^1 = g1 = (0,1);                  g^2 = g2 + g0 = (0,1)
        // Ascending g^0 filter 0 still conflicts with g1 ((0.8,-0.4).(-1,1) = -1.2): the reference keeps that.
        double[][] original = [[1, 0, 1, 0], [-1, 1, 0, 1], [-1, -2, -1, 1]];
        double[][] projected = [projected0, projected1, projected2];
        double[] a = projected.Select((p, i) => Math.Sqrt((Cosine(p, original[i]) + 1) / 2)).ToArray();
        double[] w = a.Select(x => x / a.Sum()).ToArray();
        double[] expected = Enumerable.Range(0, 4).Select(k => 3 * Enumerable.Range(0, 3).Sum(i => w[i] * projected[i][k])).ToArray();
        var random = new ScriptedRandom(draw);

        var (merged, telemetry) = IntegratorPlugins.Merge(
            IntegratorPlugins.Create("conflict-aware"), original, TwoFilters, rowWise: true, random);

        PcGradTests.AssertClose(expected, merged);
        Assert.Equal(3, random.Draws);
        Assert.All(Enumerable.Range(0, 3), i => Assert.Equal(w[i], telemetry[$"weight_{i}"], 1e-12));
        Assert.Equal(2.0 / 3, telemetry["conflict_pair_fraction"], 12); // whole-tensor dots -1, -2, 0
        Assert.Equal(4.0 / 6, telemetry["conflict_row_fraction"], 12);
    }

    [Fact]
    public void ExponentZeroGivesEqualWeights()
    {
        // Ascending case above: the projected gradients summed, (N+1) * (1/3) each.
        var integrator = IntegratorPlugins.Create("conflict-aware", new Dictionary<string, object> { ["P"] = 0.0 });

        var (merged, telemetry) = IntegratorPlugins.Merge(
            integrator, [[1, 0, 1, 0], [-1, 1, 0, 1], [-1, -2, -1, 1]], TwoFilters, rowWise: true, new ScriptedRandom(1));

        PcGradTests.AssertClose([-1.9, -1.3, 0.5, 2.5], merged);
        Assert.Equal(1.0 / 3, telemetry["weight_2"], 12);
    }

    [Fact]
    public void OneTaskPassesThrough()
    {
        var (merged, telemetry) = IntegratorPlugins.Merge(
            IntegratorPlugins.Create("conflict-aware"), [[1, -2, 3, 0]], TwoFilters, rowWise: true, new Random(5));

        PcGradTests.AssertClose([1, -2, 3, 0], merged);
        Assert.Equal(1.0, telemetry["weight_0"]);
        Assert.Equal(0.0, telemetry["conflict_pair_fraction"]);
    }

    [Fact]
    public void NegativeExponentIsRefusedNamingTheOption()
    {
        // The host validates options before it creates a plugin; the constructor refuses them too, for callers
        // that build the plugin directly (Autofac wraps that refusal, so look at the innermost exception).
        var thrown = Record.Exception(() =>
            IntegratorPlugins.Create("conflict-aware", new Dictionary<string, object> { ["P"] = -1.0 }));

        var error = Assert.IsType<CompatLabUserException>(thrown?.GetBaseException());
        Assert.Contains("'p'", error.Message);
        Assert.Contains("-1", error.Message);
    }

    private static double Cosine(double[] a, double[] b) =>
        a.Zip(b, (x, y) => x * y).Sum() / (Math.Sqrt(a.Sum(x => x * x)) * Math.Sqrt(b.Sum(x => x * x)));
}
