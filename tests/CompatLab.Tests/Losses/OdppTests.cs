using CompatLab.Abstractions;
using CompatLab.Abstractions.Losses;
using Moq;
using Xunit;
using static CompatLab.Tests.Losses.OldModels;
using static CompatLab.Tests.Losses.PerturbationRun;
using static CompatLab.Tests.Losses.PrototypeMath;
using static TorchSharp.torch;

namespace CompatLab.Tests.Losses;

/// <summary>
/// Three classes in 3-d, one bank of six rows. Adam's first step from fresh state moves every coordinate by the
/// learning rate against the gradient's sign, which pins the solve to the objective without running Adam by hand.
/// </summary>
public class OdppTests
{
    private static readonly float[][] OldMeans = [[2, 0.3f, 0], [1.5f, -0.4f, 0.2f], [0, 1, 1]];
    private static readonly float[][] BankOld = [[2, 0.1f, 0.3f], [1.8f, 0.5f, -0.2f], [1.2f, -0.6f, 0.1f], [1.6f, -0.1f, 0.5f], [0.2f, 1.1f, 0.7f], [-0.3f, 0.8f, 1.2f]];
    private static readonly float[][] BankNew = [[1, 1, 0], [0.8f, 1.2f, 0.3f], [1, -1, 0.2f], [0.7f, -0.9f, -0.3f], [0, 0.5f, 1], [0.2f, 0.1f, 1]];
    private static readonly int[] Labels = [0, 0, 1, 1, 2, 2];

    private static double[][] D(float[][] rows) => rows.Select(r => r.Select(x => (double)x).ToArray()).ToArray();

    private static double[][] Old() => Units(D(OldMeans));

    private static double Objective(double[][] delta, double alpha = 1, double mu = 0.1) =>
        OdppObjective(Old(), delta, D(BankOld), D(BankNew), Labels, 20, alpha, mu);

    private static double[][] Gradient(double[][] at, double alpha, double mu)
    {
        const double h = 1e-6;
        return at.Select((row, c) => row.Select((_, d) =>
        {
            double[][] up = at.Select(r => r.ToArray()).ToArray();
            double[][] down = at.Select(r => r.ToArray()).ToArray();
            up[c][d] += h;
            down[c][d] -= h;
            return (Objective(up, alpha, mu) - Objective(down, alpha, mu)) / (2 * h);
        }).ToArray()).ToArray();
    }

    private static (ICompatibilityLoss Loss, Dictionary<string, double> Reported) Run(Dictionary<string, object> options, int refreshes)
    {
        var reported = new Dictionary<string, double>();
        var telemetry = new Mock<ITelemetrySink>();
        telemetry.Setup(t => t.Report(It.IsAny<string>(), It.IsAny<double>(), It.IsAny<long>()))
            .Callback<string, double, long>((key, value, _) => reported[key] = value);
        options["RefreshInterval"] = 1L;
        var loss = Prepared("odpp", options, Rows(OldMeans), 3, telemetry.Object);
        loss.Compute(Batches.Of(Labels.Select(l => (long)l).ToArray(), Rows(BankNew), Rows(BankOld)));
        for (long step = 1; step <= refreshes; step++)
        {
            loss.OnStepEnd(new(step, 0, 10));
        }

        return (loss, reported);
    }

    [Theory]
    [InlineData(1.0, 0.1)]
    [InlineData(0.25, 0.1)]
    [InlineData(3.0, 0.0)]
    public void FirstStepMovesEveryCoordinateByTheLearningRateDownhill(double alpha, double mu)
    {
        using var scope = NewDisposeScope();
        double[][] zero = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];

        var (prepared, reported) = Run(new() { ["Steps"] = 1, ["LearningRate"] = 0.01, ["Eps"] = 1.0, ["Alpha"] = alpha, ["Mu"] = mu }, refreshes: 1);
        using var loss = prepared;

        double[][] delta = Delta(loss);
        double[][] gradient = Gradient(zero, alpha, mu);
        for (int c = 0; c < 3; c++)
        {
            for (int d = 0; d < 3; d++)
            {
                Assert.True(Math.Abs(gradient[c][d]) > 1e-4, "pick data whose gradient has no near-zero coordinate");
                Assert.Equal(-0.01 * Math.Sign(gradient[c][d]), delta[c][d], 5);
            }
        }

        Assert.Equal(Objective(zero, alpha, mu), reported["odpp/objective-before"], 4);
        Assert.Equal(Objective(delta, alpha, mu), reported["odpp/objective-after"], 4);
        Assert.True(reported["odpp/objective-after"] < reported["odpp/objective-before"]);
    }

    [Fact]
    public void EveryPerturbationNormIsWithinEpsAfterTheSolve()
    {
        using var scope = NewDisposeScope();

        var (prepared, reported) = Run(new() { ["Steps"] = 20, ["LearningRate"] = 0.05, ["Eps"] = 0.08 }, refreshes: 3);
        using var loss = prepared;

        double[] norms = Delta(loss).Select(r => HandMath.Norm(r)).ToArray();
        Assert.All(norms, n => Assert.True(n <= 0.08 * (1 + 1e-5), $"norm {n} exceeds eps"));
        Assert.Contains(norms, n => n > 0.08 * (1 - 1e-4));
        Assert.True(reported["odpp/fraction-at-eps"] > 0);
        Assert.True(reported["odpp/perturbation-norm-max"] <= 0.08 * (1 + 1e-5));
    }

    [Fact]
    public void EachRefreshWarmStartsFromThePreviousSolutionWithFreshAdamState()
    {
        using var scope = NewDisposeScope();

        var (first, _) = Run(new() { ["Steps"] = 1, ["LearningRate"] = 0.01, ["Eps"] = 1.0 }, refreshes: 1);
        var (second, _) = Run(new() { ["Steps"] = 1, ["LearningRate"] = 0.01, ["Eps"] = 1.0 }, refreshes: 2);
        using var once = first;
        using var twice = second;

        // From warm start delta1, a fresh Adam's first step moves each coordinate by exactly lr again.
        double[][] delta1 = Delta(once);
        double[][] delta2 = Delta(twice);
        double[][] gradient = Gradient(delta1, 1, 0.1);
        for (int c = 0; c < 3; c++)
        {
            for (int d = 0; d < 3; d++)
            {
                Assert.Equal(delta1[c][d] - (0.01 * Math.Sign(gradient[c][d])), delta2[c][d], 5);
            }
        }
    }

    [Fact]
    public void EmptyBankKeepsThePerturbation()
    {
        using var scope = NewDisposeScope();
        using var loss = Prepared("odpp", new() { ["RefreshInterval"] = 1L }, Rows(OldMeans), 3);

        loss.OnStepEnd(new(1, 0, 10));

        Assert.All(Delta(loss).SelectMany(r => r), d => Assert.Equal(0, d));
    }
}
