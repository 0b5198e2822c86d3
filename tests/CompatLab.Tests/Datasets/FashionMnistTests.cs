using System.Diagnostics;
using CompatLab.Abstractions;
using Xunit;
using Xunit.Abstractions;

namespace CompatLab.Tests.Datasets;

/// <summary>The real Fashion-MNIST from the dataset-fashion-mnist package (installed here and in CI).</summary>
public class FashionMnistTests(ITestOutputHelper output)
{
    [Fact]
    public void DefaultRootLoadsTheWholeDatasetNormalised()
    {
        var stopwatch = Stopwatch.StartNew();
        using var bundle = DatasetPlugins.Load("fashion-mnist");
        stopwatch.Stop();
        output.WriteLine($"loaded in {stopwatch.ElapsedMilliseconds} ms");

        Assert.Equal([60000L, 1, 28, 28], bundle.Train.Images.shape);
        Assert.Equal([10000L, 1, 28, 28], bundle.Test.Images.shape);
        Assert.Equal(10, bundle.ClassCount);
        Assert.Equal("T-shirt/top", bundle.ClassNames[0]);
        Assert.Equal("Ankle boot", bundle.ClassNames[9]);
        Assert.All(bundle.Train.Labels.bincount(null, 10).data<long>().ToArray(), count => Assert.Equal(6000, count));
        Assert.All(bundle.Test.Labels.bincount(null, 10).data<long>().ToArray(), count => Assert.Equal(1000, count));

        // The default mean/std are the training set's own statistics.
        Assert.Equal(0.0, bundle.Train.Images.mean().item<float>(), 0.01);
        Assert.Equal(1.0, bundle.Train.Images.std().item<float>(), 0.01);

        // Generous bound: the load takes well under 2 s alone, but shares 2 cores with other tests here.
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"loading took {stopwatch.Elapsed}");
    }

    [Fact]
    public void LimitsGiveBalancedSubsets()
    {
        using var bundle = DatasetPlugins.Load(
            "fashion-mnist", new Dictionary<string, string?> { ["trainLimit"] = "1000", ["testLimit"] = "200" });

        Assert.Equal(1000, bundle.Train.Count);
        Assert.Equal(200, bundle.Test.Count);
        Assert.All(bundle.Train.Labels.bincount(null, 10).data<long>().ToArray(), count => Assert.Equal(100, count));
        Assert.All(bundle.Test.Labels.bincount(null, 10).data<long>().ToArray(), count => Assert.Equal(20, count));
    }

    [Fact]
    public void MissingFileAtTheDefaultRootSaysWhichPackageProvidesIt()
    {
        var provider = DatasetPlugins.Create(
            "fashion-mnist", new Dictionary<string, string?> { ["trainImages"] = "no-such-images-idx3-ubyte.gz" });

        var error = Assert.Throws<CompatLabUserException>(() => provider.Load(new(Seed: 1)));
        Assert.Contains("/usr/share/datasets/fashion-mnist/no-such-images-idx3-ubyte.gz", error.Message);
        Assert.Contains("apt-get install dataset-fashion-mnist", error.Message);
    }

    [Fact]
    public void MissingFileElsewhereNamesThePath()
    {
        using var folder = new TempFolder();
        var provider = DatasetPlugins.Create("fashion-mnist", new Dictionary<string, string?> { ["root"] = folder.Root });

        var error = Assert.Throws<CompatLabUserException>(() => provider.Load(new(Seed: 1)));
        Assert.Contains(Path.Combine(folder.Root, "train-images-idx3-ubyte.gz"), error.Message);
        Assert.DoesNotContain("apt-get", error.Message);
    }

    [Fact]
    public void UncompressedCopiesAreFoundUnderTheDefaultNames()
    {
        using var folder = new TempFolder();
        folder.Write("train-images-idx3-ubyte", IdxBytes.Images(2, 28, 28, i => (byte)i));
        folder.Write("train-labels-idx1-ubyte", IdxBytes.Labels(3, 9));
        folder.Write("t10k-images-idx3-ubyte.gz", IdxBytes.Images(1, 28, 28, i => 0), gzip: true);
        folder.Write("t10k-labels-idx1-ubyte.gz", IdxBytes.Labels(0), gzip: true);

        using var bundle = DatasetPlugins.Load("fashion-mnist", new Dictionary<string, string?> { ["root"] = folder.Root });

        Assert.Equal([3L, 9], bundle.Train.Labels.data<long>().ToArray());
        Assert.Equal(1, bundle.Test.Count);
    }
}
