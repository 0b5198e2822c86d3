using CompatLab.Abstractions;
using Moq;
using Xunit;
using static CompatLab.Tests.Losses.PerturbationRun;
using static TorchSharp.torch;

namespace CompatLab.Tests.Losses;

/// <summary>What ndpp and odpp share: bct-proto as their zero perturbation, the refresh schedule, the new-prototype
/// average, the feature bank and checkpoint state.</summary>
public class PrototypePerturbationTests
{
    private const int Classes = 4;
    private const long Width = 6;

    public static TheoryData<string, string, object> ZeroPerturbations => new()
    {
        { "ndpp", "Beta", 0.0 },
        { "odpp", "Eps", 0.0 },
    };

    public static TheoryData<string> Losses => new() { "ndpp", "odpp" };

    private static void Close(double[] expected, Tensor actual)
    {
        float[] values = actual.data<float>().ToArray();
        Assert.Equal(expected.Length, values.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], values[i], 6);
        }
    }

    private static Tensor ClassMeans()
    {
        using var generator = new Generator(42);
        return randn(Classes, Width, generator: generator).mul(2);
    }

    [Theory]
    [MemberData(nameof(ZeroPerturbations))]
    public void ZeroPerturbationEqualsBctProtoAcrossRefreshes(string name, string option, object zero)
    {
        using var scope = NewDisposeScope();
        Tensor means = ClassMeans();
        using var perturbed = Prepared(name, new() { [option] = zero, ["RefreshInterval"] = 2L }, means, Width);
        using var baseline = Prepared("bct-proto", [], means, Width);

        for (long step = 1; step <= 7; step++)
        {
            var batch = Batches.Random(Classes, 12, Width, seed: step);
            Assert.Equal(Step(baseline, batch, step), Step(perturbed, batch, step), 6);
        }

        Assert.All(Delta(perturbed).SelectMany(r => r), d => Assert.Equal(0, d));
    }

    [Theory]
    [MemberData(nameof(Losses))]
    public void DefaultsEqualBctProtoUntilTheFirstRefreshOnly(string name)
    {
        using var scope = NewDisposeScope();
        Tensor means = ClassMeans();
        using var perturbed = Prepared(name, new() { ["RefreshInterval"] = 3L }, means, Width);
        using var baseline = Prepared("bct-proto", [], means, Width);
        var differences = new List<double>();

        for (long step = 1; step <= 5; step++)
        {
            var batch = Batches.Random(Classes, 12, Width, seed: step);
            differences.Add(Math.Abs(Step(baseline, batch, step) - Step(perturbed, batch, step)));
        }

        Assert.Equal(new double[] { 0, 0, 0 }, differences.Take(3));
        Assert.All(differences.Skip(3), d => Assert.True(d > 1e-4, $"loss moved only {d} after the refresh"));
    }

    [Theory]
    [MemberData(nameof(Losses))]
    public void RefreshesHappenAtMultiplesOfTheIntervalAndReportTelemetry(string name)
    {
        using var scope = NewDisposeScope();
        var telemetry = new Mock<ITelemetrySink>();
        using var loss = Prepared(name, new() { ["RefreshInterval"] = 3L }, ClassMeans(), Width, telemetry.Object);
        var deltaNorms = new List<double>();

        for (long step = 1; step <= 7; step++)
        {
            Step(loss, Batches.Random(Classes, 12, Width, seed: step), step);
            deltaNorms.Add(Delta(loss).Sum(r => HandMath.Norm(r)));
        }

        Assert.Equal(new double[] { 0, 0 }, deltaNorms.Take(2));
        Assert.All(deltaNorms.Skip(2), n => Assert.True(n > 0));
        foreach (string key in new[] { "perturbation-norm-mean", "perturbation-norm-max", "fraction-at-eps", "neighbour-cos-before", "neighbour-cos-after" })
        {
            telemetry.Verify(t => t.Report($"{name}/{key}", It.IsAny<double>(), 3), Times.Once);
            telemetry.Verify(t => t.Report($"{name}/{key}", It.IsAny<double>(), 6), Times.Once);
        }

        telemetry.Verify(t => t.Report(It.IsAny<string>(), It.IsAny<double>(), It.IsNotIn(3L, 6L)), Times.Never);
    }

    [Theory]
    [MemberData(nameof(Losses))]
    public void TelemetryDescribesThePerturbation(string name)
    {
        using var scope = NewDisposeScope();
        var reported = new Dictionary<string, double>();
        var telemetry = new Mock<ITelemetrySink>();
        telemetry.Setup(t => t.Report(It.IsAny<string>(), It.IsAny<double>(), It.IsAny<long>()))
            .Callback<string, double, long>((key, value, _) => reported[key[(name.Length + 1)..]] = value);
        Tensor means = ClassMeans();
        using var loss = Prepared(name, new() { ["RefreshInterval"] = 1L, ["Eps"] = 0.05 }, means, Width, telemetry.Object);

        Step(loss, Batches.Random(Classes, 12, Width, seed: 1), 1);

        double[][] old = PrototypeMath.Units(Batches.ToRows(means));
        double[][] delta = Delta(loss);
        double[] norms = delta.Select(r => HandMath.Norm(r)).ToArray();
        double[][] pseudo = PrototypeMath.Pseudo(old, delta);
        int[] nearest = old.Select((o, c) => Enumerable.Range(0, Classes).Where(j => j != c).MaxBy(j => PrototypeMath.Dot(o, old[j]))).ToArray();
        Assert.Equal(norms.Average(), reported["perturbation-norm-mean"], 5);
        Assert.Equal(norms.Max(), reported["perturbation-norm-max"], 5);
        Assert.Equal(norms.Count(n => n >= 0.05 * (1 - 1e-4)) / (double)Classes, reported["fraction-at-eps"], 6);
        Assert.Equal(nearest.Select((j, c) => PrototypeMath.Dot(old[c], old[j])).Average(), reported["neighbour-cos-before"], 5);
        Assert.Equal(nearest.Select((j, c) => PrototypeMath.Dot(pseudo[c], pseudo[j])).Average(), reported["neighbour-cos-after"], 5);
    }

    [Theory]
    [MemberData(nameof(Losses))]
    public void NewPrototypesAreAMovingAverageStartedByTheFirstBatchMean(string name)
    {
        using var scope = NewDisposeScope();
        using var loss = Prepared(name, [], OldModels.Rows([1, 0], [0, 1], [1, 1]), 3);

        // Class 0 first appears with mean [2, 0] (the third dim is cut: the old width is 2), then with mean [0, 4].
        loss.Compute(Batches.Of([0, 0, 1], OldModels.Rows([1, 0, 9], [3, 0, 9], [0, 2, 9]), OldModels.Rows([1, 0], [1, 0], [0, 1])));
        loss.Compute(Batches.Of([0], OldModels.Rows([0, 4, 9]), OldModels.Rows([1, 0])));

        var state = loss.SaveState();
        Close([1.8, 0.4, 0, 2, 0, 0], state["new-prototypes"]);
        Assert.Equal(new[] { true, true, false }, state["new-prototypes-seen"].data<bool>().ToArray());
    }

    [Fact]
    public void MomentumOptionIsUsed()
    {
        using var scope = NewDisposeScope();
        using var loss = Prepared("ndpp", new() { ["Momentum"] = 0.5 }, OldModels.Rows([1, 0], [0, 1]), 2);

        loss.Compute(Batches.Of([0], OldModels.Rows([2, 0]), OldModels.Rows([1, 0])));
        loss.Compute(Batches.Of([0], OldModels.Rows([0, 4]), OldModels.Rows([1, 0])));

        Close([1, 2, 0, 0], loss.SaveState()["new-prototypes"]);
    }

    [Fact]
    public void FeatureBankKeepsTheNewestRowsFirstInFirstOut()
    {
        using var scope = NewDisposeScope();
        using var loss = Prepared("odpp", new() { ["BankSize"] = 4L }, OldModels.Rows([1, 0], [0, 1]), 2);

        // Rows are tagged by their first coordinate: 1..3, then 4..6 overwrite slots 3, 0, 1.
        loss.Compute(Batches.Of([0, 1, 0], OldModels.Rows([1, 0], [2, 0], [3, 0]), OldModels.Rows([-1, 0], [-2, 0], [-3, 0])));
        loss.Compute(Batches.Of([1, 1, 0], OldModels.Rows([4, 0], [5, 0], [6, 0]), OldModels.Rows([-4, 0], [-5, 0], [-6, 0])));

        var state = loss.SaveState();
        Assert.Equal(new float[] { 5, 6, 3, 4 }, state["bank-new"].data<float>().Where((_, i) => i % 2 == 0).ToArray());
        Assert.Equal(new float[] { -5, -6, -3, -4 }, state["bank-old"].data<float>().Where((_, i) => i % 2 == 0).ToArray());
        Assert.Equal(new long[] { 1, 0, 0, 1 }, state["bank-labels"].data<long>().ToArray());
        Assert.Equal(new long[] { 2, 4 }, state["bank-cursor"].data<long>().ToArray());

        // A batch larger than the bank leaves only its last four rows.
        loss.Compute(Batches.Of([0, 0, 0, 0, 0], OldModels.Rows([7, 0], [8, 0], [9, 0], [10, 0], [11, 0]), OldModels.Rows([1, 0], [1, 0], [1, 0], [1, 0], [1, 0])));
        Assert.Equal(new float[] { 10, 11, 8, 9 }, loss.SaveState()["bank-new"].data<float>().Where((_, i) => i % 2 == 0).ToArray());
    }

    [Theory]
    [MemberData(nameof(Losses))]
    public void SavedStateResumesWithIdenticalLosses(string name)
    {
        using var scope = NewDisposeScope();
        Tensor means = ClassMeans();
        var options = new Dictionary<string, object> { ["RefreshInterval"] = 2L };
        using var original = Prepared(name, options, means, Width);
        for (long step = 1; step <= 5; step++)
        {
            Step(original, Batches.Random(Classes, 12, Width, seed: step), step);
        }

        using var resumed = Prepared(name, options, means, Width);
        resumed.LoadState(original.SaveState());
        using var fresh = Prepared(name, options, means, Width);

        for (long step = 6; step <= 10; step++)
        {
            var batch = Batches.Random(Classes, 12, Width, seed: step);
            double expected = Step(original, batch, step);
            Assert.Equal(expected, Step(resumed, batch, step));
            if (step == 6)
            {
                Assert.NotEqual(expected, Step(fresh, batch, step));
            }
        }

        var end = original.SaveState();
        var endResumed = resumed.SaveState();
        foreach (string key in end.Keys)
        {
            Assert.Equal(end[key].cpu().to(ScalarType.Float64).data<double>().ToArray(), endResumed[key].cpu().to(ScalarType.Float64).data<double>().ToArray());
        }
    }

    [Theory]
    [MemberData(nameof(Losses))]
    public void StateFromAnotherSetupIsRefusedNamingTheKey(string name)
    {
        using var scope = NewDisposeScope();
        using var loss = Prepared(name, [], ClassMeans(), Width);
        var state = loss.SaveState().ToDictionary(p => p.Key, p => p.Value.clone());
        var missing = new Dictionary<string, Tensor>(state);
        missing.Remove("delta");
        var wrongShape = new Dictionary<string, Tensor>(state) { ["delta"] = zeros(Classes + 1, Width) };

        Assert.Contains("'delta'", Assert.Throws<CompatLabUserException>(() => loss.LoadState(missing)).Message);
        Assert.Contains("'delta'", Assert.Throws<CompatLabUserException>(() => loss.LoadState(wrongShape)).Message);
    }

    [Theory]
    [MemberData(nameof(Losses))]
    public void ComputeNeedsPrepare(string name)
    {
        using var scope = NewDisposeScope();
        using var loss = LossPlugins.Create(name, new Dictionary<string, object>());

        Assert.True(loss.NeedsOldEmbeddings);
        Assert.Throws<InvalidOperationException>(() => loss.Compute(Batches.Random(Classes, 4, Width, seed: 1)));
    }
}
