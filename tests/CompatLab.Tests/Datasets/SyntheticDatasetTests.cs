using CompatLab.Abstractions;
using CompatLab.Abstractions.Data;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace CompatLab.Tests.Datasets;

public class SyntheticDatasetTests
{
    [Fact]
    public void DefaultsGiveTenBalancedClassesOf28x28GreyImages()
    {
        using var bundle = DatasetPlugins.Load("synthetic");

        Assert.Equal([2000L, 1, 28, 28], bundle.Train.Images.shape);
        Assert.Equal([500L, 1, 28, 28], bundle.Test.Images.shape);
        Assert.Equal(ScalarType.Float32, bundle.Train.Images.dtype);
        Assert.Equal(ScalarType.Int64, bundle.Train.Labels.dtype);
        Assert.Equal(10, bundle.ClassCount);
        Assert.All(bundle.Train.Labels.bincount(null, 10).data<long>().ToArray(), count => Assert.Equal(200, count));
        Assert.All(bundle.Test.Labels.bincount(null, 10).data<long>().ToArray(), count => Assert.Equal(50, count));
    }

    [Fact]
    public void SizeChannelsAndCountsFollowTheOptions()
    {
        using var bundle = DatasetPlugins.Load("synthetic", Options(
            ("classes", "4"), ("channels", "3"), ("size", "16"), ("trainPerClass", "5"), ("testPerClass", "2")));

        Assert.Equal([20L, 3, 16, 16], bundle.Train.Images.shape);
        Assert.Equal([8L, 3, 16, 16], bundle.Test.Images.shape);
        Assert.Equal(["0", "1", "2", "3"], bundle.ClassNames);
    }

    [Fact]
    public void SameSeedGivesIdenticalTensors()
    {
        using var first = DatasetPlugins.Load("synthetic", Small(("seed", "11")));
        torch.manual_seed(999);
        using var second = DatasetPlugins.Load("synthetic", Small(("seed", "11")), seed: 4);

        Assert.True(Same(first.Train.Images, second.Train.Images));
        Assert.True(Same(first.Train.Labels, second.Train.Labels));
        Assert.True(Same(first.Test.Images, second.Test.Images));
    }

    [Fact]
    public void DifferentSeedsDifferAndSeedZeroUsesTheRunSeed()
    {
        using var fromOption = DatasetPlugins.Load("synthetic", Small(("seed", "7")), seed: 1);
        using var fromRun = DatasetPlugins.Load("synthetic", Small(), seed: 7);
        using var other = DatasetPlugins.Load("synthetic", Small(), seed: 8);

        Assert.True(Same(fromOption.Train.Images, fromRun.Train.Images));
        Assert.False(Same(fromRun.Train.Images, other.Train.Images));
        Assert.False(Same(fromRun.Train.Images, fromRun.Test.Images[TensorIndex.Slice(0, fromRun.Train.Count)]));
    }

    [Fact]
    public void ClassesOfOneClusterAreCloserThanClassesOfDifferentClusters()
    {
        using var bundle = DatasetPlugins.Load("synthetic", Options(
            ("classes", "8"), ("clusters", "2"), ("clusterSpread", "0.15"), ("trainPerClass", "40"), ("testPerClass", "1")));
        using var means = ClassMeans(bundle.Train, 8).flatten(1);
        using var cosines = nn.functional.normalize(means).matmul(nn.functional.normalize(means).T);
        float[,] cosine = ToMatrix(cosines, 8);

        // Class c is in cluster c mod 2.
        var pairs = from a in Enumerable.Range(0, 8) from b in Enumerable.Range(0, 8) where a < b select (a, b);
        float leastWithin = pairs.Where(p => p.a % 2 == p.b % 2).Min(p => cosine[p.a, p.b]);
        float mostAcross = pairs.Where(p => p.a % 2 != p.b % 2).Max(p => cosine[p.a, p.b]);
        Assert.True(leastWithin > 0.9f, $"least cosine within a cluster {leastWithin}");
        Assert.True(leastWithin > mostAcross + 0.2f, $"within {leastWithin}, across {mostAcross}");
    }

    [Theory]
    [InlineData(0, 0.9)]
    [InlineData(2, 0.4)]
    public void NearestClassMeanRecognisesTestImagesWellAboveChance(int clusters, double leastAccuracy)
    {
        using var bundle = DatasetPlugins.Load("synthetic", Options(("clusters", clusters.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        using var scope = NewDisposeScope();

        var means = ClassMeans(bundle.Train, 10).flatten(1);
        var predicted = cdist(bundle.Test.Images.flatten(1), means).argmin(1);
        double accuracy = predicted.eq(bundle.Test.Labels).to_type(ScalarType.Float32).mean().item<float>();

        Assert.True(accuracy > leastAccuracy, $"accuracy {accuracy} (chance 0.1)");
    }

    [Fact]
    public void ASmallCnnLearnsItInAFewHundredSteps()
    {
        using var bundle = DatasetPlugins.Load("synthetic", Options(("clusters", "5")), seed: 3);
        torch.manual_seed(3);
        using var model = nn.Sequential(
            nn.Conv2d(1, 8, 3, padding: 1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(8, 16, 3, padding: 1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(16 * 7 * 7, 10));
        using var optimizer = optim.Adam(model.parameters(), lr: 0.003);
        using var order = randperm(bundle.Train.Count);

        for (int step = 0; step < 200; step++)
        {
            using var scope = NewDisposeScope();
            var batch = order.narrow(0, (step * 32) % (bundle.Train.Count - 32), 32);
            var loss = nn.functional.cross_entropy(
                model.call(bundle.Train.Images.index_select(0, batch)), bundle.Train.Labels.index_select(0, batch));
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
        }

        using var evaluation = NewDisposeScope();
        using var noGrad = no_grad();
        var correct = model.call(bundle.Test.Images).argmax(1).eq(bundle.Test.Labels);
        double accuracy = correct.to_type(ScalarType.Float32).mean().item<float>();
        Assert.True(accuracy > 0.6, $"test accuracy {accuracy} (chance 0.1)");
    }

    [Fact]
    public void BadOptionsAreNamed()
    {
        var problems = DatasetPlugins.Validate("synthetic", Options(
            ("classes", "1"), ("size", "2"), ("noise", "-1"), ("clusters", "3")));

        Assert.Equal(4, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("classes must be at least 2, got 1", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("size must be at least", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("noise must be", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("clusters must be 0", StringComparison.Ordinal));
        var error = Assert.Throws<CompatLabUserException>(() => DatasetPlugins.Create("synthetic", Options(("trainPerClass", "0"))));
        Assert.Contains("trainPerClass", error.Message);
    }

    private static bool Same(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        return a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();
    }

    private static Dictionary<string, string?> Options(params (string Key, string? Value)[] values) =>
        values.ToDictionary(v => v.Key, v => v.Value);

    private static Dictionary<string, string?> Small(params (string Key, string? Value)[] values) =>
        Options([("classes", "3"), ("trainPerClass", "4"), ("testPerClass", "4"), ("size", "12"), .. values]);

    private static Tensor ClassMeans(LabelledImages set, int classes)
    {
        using var scope = NewDisposeScope();
        var sums = zeros(classes, set.Images.shape[1], set.Images.shape[2], set.Images.shape[3]).index_add_(0, set.Labels, set.Images, 1);
        var counts = set.Labels.bincount(null, classes).to_type(ScalarType.Float32).view(classes, 1, 1, 1);
        return sums.div_(counts).MoveToOuterDisposeScope();
    }

    private static float[,] ToMatrix(Tensor square, int size)
    {
        float[] values = square.data<float>().ToArray();
        var matrix = new float[size, size];
        for (int i = 0; i < values.Length; i++)
        {
            matrix[i / size, i % size] = values[i];
        }

        return matrix;
    }
}
