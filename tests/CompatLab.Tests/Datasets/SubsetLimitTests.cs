using Xunit;

namespace CompatLab.Tests.Datasets;

/// <summary>
/// trainLimit/testLimit on a 1 x 1-pixel dataset whose pixel is the image's index, so every chosen image can be
/// traced back to its place in the file.
/// </summary>
public class SubsetLimitTests
{
    [Fact]
    public void LimitGivesEqualClassesInFileOrderWithImagesAndLabelsKeptTogether()
    {
        using var files = new IndexedDataset(Enumerable.Range(0, 30).Select(i => (byte)(i % 3)).ToArray());

        var (indices, labels) = files.LoadTrain(limit: 9, seed: 5);

        Assert.Equal([3, 3, 3], CountPerClass(labels, 3));
        Assert.Equal(indices.Order(), indices);
        Assert.Equal(indices.Length, indices.Distinct().Count());
        Assert.All(indices.Zip(labels), pair => Assert.Equal(pair.First % 3, pair.Second));
    }

    [Fact]
    public void SameSeedGivesTheSameSubsetAndAnotherSeedAnother()
    {
        using var files = new IndexedDataset(Enumerable.Range(0, 30).Select(i => (byte)(i % 3)).ToArray());

        var first = files.LoadTrain(limit: 9, seed: 5).Indices;
        var again = files.LoadTrain(limit: 9, seed: 5).Indices;
        var other = files.LoadTrain(limit: 9, seed: 6).Indices;

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void SmallClassesGiveTheirUnusedShareToTheOthers()
    {
        byte[] labels = [.. Enumerable.Repeat((byte)0, 20), 1, 1, .. Enumerable.Repeat((byte)2, 8)];
        using var files = new IndexedDataset(labels);

        var chosen = files.LoadTrain(limit: 12, seed: 3).Labels;

        Assert.Equal([5, 2, 5], CountPerClass(chosen, 3));
    }

    [Fact]
    public void RemainderGoesToTheLowestClassIds()
    {
        using var files = new IndexedDataset(Enumerable.Range(0, 30).Select(i => (byte)(i % 3)).ToArray());

        Assert.Equal([4, 3, 3], CountPerClass(files.LoadTrain(limit: 10, seed: 1).Labels, 3));
    }

    [Fact]
    public void LimitOfZeroOrAtLeastTheSizeKeepsEverything()
    {
        using var files = new IndexedDataset(Enumerable.Range(0, 30).Select(i => (byte)(i % 3)).ToArray());

        Assert.Equal(Enumerable.Range(0, 30).Select(i => (long)i), files.LoadTrain(limit: 0, seed: 1).Indices);
        Assert.Equal(Enumerable.Range(0, 30).Select(i => (long)i), files.LoadTrain(limit: 31, seed: 1).Indices);
    }

    [Fact]
    public void TestLimitAppliesToTheTestSetOnly()
    {
        using var files = new IndexedDataset(Enumerable.Range(0, 30).Select(i => (byte)(i % 3)).ToArray());
        using var bundle = DatasetPlugins.Load("idx", files.Options(("testLimit", "6")), seed: 2);

        Assert.Equal(30, bundle.Train.Count);
        Assert.Equal(6, bundle.Test.Count);
        Assert.Equal([2, 2, 2], CountPerClass(bundle.Test.Labels.data<long>().ToArray(), 3));
    }

    private static int[] CountPerClass(long[] labels, int classes) =>
        Enumerable.Range(0, classes).Select(c => labels.Count(l => l == c)).ToArray();

    /// <summary>Train and test sets are the same: image i is one pixel of value i, with the given labels.</summary>
    private sealed class IndexedDataset : IDisposable
    {
        private readonly TempFolder folder = new();
        private readonly string images;
        private readonly string labels;

        public IndexedDataset(byte[] labelValues)
        {
            images = folder.Write("images", IdxBytes.Images(labelValues.Length, 1, 1, i => (byte)i));
            labels = folder.Write("labels", IdxBytes.Labels(labelValues));
        }

        public Dictionary<string, string?> Options(params (string Key, string? Value)[] extra)
        {
            var options = new Dictionary<string, string?>
            {
                ["trainImages"] = images,
                ["trainLabels"] = labels,
                ["testImages"] = images,
                ["testLabels"] = labels,
                ["mean"] = "0",
                ["std"] = "1",
            };
            foreach (var (key, value) in extra)
            {
                options[key] = value;
            }

            return options;
        }

        public (long[] Indices, long[] Labels) LoadTrain(long limit, int seed)
        {
            using var bundle = DatasetPlugins.Load(
                "idx", Options(("trainLimit", limit.ToString(System.Globalization.CultureInfo.InvariantCulture))), seed);
            long[] indices = bundle.Train.Images.data<float>().ToArray().Select(v => (long)Math.Round(v * 255)).ToArray();
            return (indices, bundle.Train.Labels.data<long>().ToArray());
        }

        public void Dispose() => folder.Dispose();
    }
}
