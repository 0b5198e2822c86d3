using Xunit;

namespace CompatLab.Tests.Integrators;

public class PcGradTests
{
    [Fact]
    public void TwoConflictingTasksAreEachProjectedOffTheOther()
    {
        // g0 = (1, 0), g1 = (-1, 1), <g0, g1> = -1.
        // g0' = g0 - (-1 / 2) g1 = (0.5, 0.5);  g1' = g1 - (-1 / 1) g0 = (0, 1);  sum = (0.5, 1.5).
        var (merged, telemetry) = IntegratorPlugins.Merge(
            IntegratorPlugins.Create("pcgrad"), [[1, 0], [-1, 1]], [2], rowWise: false, new Random(3));

        AssertClose([0.5, 1.5], merged);
        Assert.Equal(1.0, telemetry["conflict_pair_fraction"]);
        Assert.Equal(0.5, telemetry["weight_1"]);
    }

    [Fact]
    public void AgreeingTasksAreSummedUnchanged()
    {
        var (merged, telemetry) = IntegratorPlugins.Merge(
            IntegratorPlugins.Create("pcgrad"), [[1, 0], [1, 1]], [2], rowWise: false, new Random(3));

        AssertClose([2, 1], merged);
        Assert.Equal(0.0, telemetry["conflict_pair_fraction"]);
    }

    [Theory]
    [InlineData(1, new[] { -1.2, -0.9 })]
    [InlineData(0, new[] { 0.2, -0.7 })]
    public void ThreeTasksAreProjectedSequentiallyOnTheRunningGradient(int draw, double[] expected)
    {
        // g0 = (1, 0), g1 = (-1, 1), g2 = (-1, -2): every pair conflicts. Draw 1 keeps each task's partners in
        // ascending order, draw 0 reverses them. Ascending:
        //   task 0: (1,0) -[g1, dot -1]-> (0.5, 0.5) -[g2, dot -1.5, /5]-> (0.2, -0.1)
        //   task 1: (-1,1) -[g0, dot -1]-> (0, 1) -[g2, dot -2, /5]-> (-0.4, 0.2)
        //   task 2: (-1,-2) -[g0, dot -1]-> (0, -2) -[g1, dot -2, /2]-> (-1, -1)      sum (-1.2, -0.9)
        // Reversed:
        //   task 0: (1,0) -[g2, dot -1, /5]-> (0.8, -0.4) -[g1, dot -1.2, /2]-> (0.2, 0.2)
        //   task 1: (-1,1) -[g2, dot -1, /5]-> (-1.2, 0.6) -[g0, dot -1.2]-> (0, 0.6)
        //   task 2: (-1,-2) -[g1, dot -1, /2]-> (-1.5, -1.5) -[g0, dot -1.5]-> (0, -1.5)  sum (0.2, -0.7)
        var random = new ScriptedRandom(draw);

        var (merged, _) = IntegratorPlugins.Merge(
            IntegratorPlugins.Create("pcgrad"), [[1, 0], [-1, 1], [-1, -2]], [2], rowWise: false, random);

        AssertClose(expected, merged);
        Assert.Equal(3, random.Draws);
    }

    [Fact]
    public void SameSeedGivesTheSameMerge()
    {
        double[][] gradients = [[1, 0, 2], [-1, 1, 0], [-1, -2, 1], [0.5, -1, -1]];
        var integrator = IntegratorPlugins.Create("pcgrad");

        var first = IntegratorPlugins.Merge(integrator, gradients, [3], rowWise: false, new Random(42)).Gradient;
        var second = IntegratorPlugins.Merge(integrator, gradients, [3], rowWise: false, new Random(42)).Gradient;

        Assert.Equal(first, second);
    }

    internal static void AssertClose(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 1e-9);
        }
    }
}
