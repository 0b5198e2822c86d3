using CompatLab.Abstractions.Data;
using CompatLab.Plugins.Datasets.ImageSets;
using CompatLab.Tests.Support;
using Xunit;
using static TorchSharp.torch;

namespace CompatLab.Tests.Images;

public class ImageDatasetPluginTests
{
    [Fact]
    public void ImageFolderSplitsEachClassBySeedAndLoadsFloatImagesOfTheSize()
    {
        using var scratch = new ScratchFolder();
        TinyImageData.WriteFolder(scratch.Root);
        var options = new ImageFolderOptions { Root = scratch.Root, ImageSize = 8, Workers = 1 };

        using var bundle = new ImageFolderDataset(options).Load(new DatasetLoadContext(3));
        using var again = new ImageFolderDataset(options).Load(new DatasetLoadContext(3));
        using var scope = NewDisposeScope();

        Assert.Equal(["c00", "c01", "c02"], bundle.ClassNames);
        Assert.Equal((12L, 3L), (bundle.TrainSet.Count, bundle.TestSet.Count)); // round(5 x 0.2) = 1 test image per class
        Assert.Equal([0L, 1L, 2L], bundle.TestSet.Labels.data<long>().ToArray());
        Assert.Equal(((ImageSampleSet)bundle.TestSet).Samples.Select(s => s.Path), ((ImageSampleSet)again.TestSet).Samples.Select(s => s.Path));
        var images = bundle.TestSet.Load([0, 2], SamplePass.Evaluation);
        Assert.Equal([2L, 3L, 8L, 8L], images.shape);
        Assert.Equal(ScalarType.Float32, images.dtype);
        Assert.Null(bundle.Query);
    }

    [Fact]
    public void ImageListRolesGiveTrainQueryAndGalleryAndTheTestSetIsQueryThenGallery()
    {
        using var scratch = new ScratchFolder();
        string list = TinyImageData.WriteList(scratch.Root);

        using var bundle = new ImageListDataset(new ImageListDatasetOptions { List = list, ImageSize = 8, Workers = 1 }).Load(new DatasetLoadContext(1));
        using var scope = NewDisposeScope();

        Assert.Equal((9L, 3L, 3L, 6L), (bundle.TrainSet.Count, bundle.Query!.Count, bundle.Gallery!.Count, bundle.TestSet.Count));
        var test = (ImageSampleSet)bundle.TestSet;
        Assert.Equal(["query", "query", "query", "gallery", "gallery", "gallery"], test.Samples.Select(s => s.Role));
        Assert.True(bundle.TestSet.Load([0], SamplePass.Evaluation).equal(bundle.Query.Load([0], SamplePass.Evaluation)).all().item<bool>());
    }

    [Fact]
    public void AListWithoutRolesIsSplitByTestFraction()
    {
        using var scratch = new ScratchFolder();
        string list = TinyImageData.WriteList(scratch.Root, roles: false);

        using var bundle = new ImageListDataset(new ImageListDatasetOptions { List = list, ImageSize = 8, TestFraction = 0.4 }).Load(new DatasetLoadContext(1));

        Assert.Equal((9L, 6L), (bundle.TrainSet.Count, bundle.TestSet.Count));
        Assert.Null(bundle.Query);
    }

    [Fact]
    public void AugmentedBatchesAreTheSameFor1And2And8Workers()
    {
        using var scratch = new ScratchFolder();
        TinyImageData.WriteFolder(scratch.Root);
        var pass = new SamplePass(5, 2, true);
        long[] indices = [0, 3, 7, 1, 11, 5, 9, 2];
        using var scope = NewDisposeScope();

        Tensor LoadWith(int workers)
        {
            var options = new ImageFolderOptions { Root = scratch.Root, ImageSize = 8, Workers = workers };
            options.Transforms.Brightness = options.Transforms.Contrast = options.Transforms.Saturation = 0.4;
            options.Transforms.Erasing = 0.5;
            using var bundle = new ImageFolderDataset(options).Load(new DatasetLoadContext(1));
            return bundle.TrainSet.Load(indices, pass);
        }

        var one = LoadWith(1);
        Assert.True(one.equal(LoadWith(2)).all().item<bool>());
        Assert.True(one.equal(LoadWith(8)).all().item<bool>());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ChannelsLastBatchesHoldTheSameValuesWithTheChannelsInnermost(bool jitterAndErasing)
    {
        using var scratch = new ScratchFolder();
        TinyImageData.WriteFolder(scratch.Root);
        long[] indices = [0, 3, 7, 1];
        using var scope = NewDisposeScope();

        (Tensor Training, Tensor Evaluation) LoadWith(bool channelsLast)
        {
            // 40 pixels a row: whole 16-pixel groups and a tail in the normalisation's loops.
            var options = new ImageFolderOptions { Root = scratch.Root, ImageSize = 40, Workers = 2 };
            options.Transforms.ChannelsLast = channelsLast;
            if (jitterAndErasing)
            {
                options.Transforms.Brightness = options.Transforms.Contrast = options.Transforms.Saturation = 0.4;
                options.Transforms.Erasing = 0.5;
            }

            using var bundle = new ImageFolderDataset(options).Load(new DatasetLoadContext(1));
            return (bundle.TrainSet.Load(indices, new SamplePass(5, 2, true)), bundle.TestSet.Load([0, 1], SamplePass.Evaluation));
        }

        var planar = LoadWith(false);
        var channelsLast = LoadWith(true);

        foreach (var (expected, actual) in new[] { (planar.Training, channelsLast.Training), (planar.Evaluation, channelsLast.Evaluation) })
        {
            Assert.True(expected.is_contiguous());
            Assert.True(actual.permute(0, 2, 3, 1).is_contiguous());
            Assert.True(expected.equal(actual).all().item<bool>());
        }
    }

    [Fact]
    public void ASubsetSharesTheImagesAndAugmentsEachAsItsParentDoes()
    {
        using var scratch = new ScratchFolder();
        TinyImageData.WriteFolder(scratch.Root);
        using var bundle = new ImageFolderDataset(new ImageFolderOptions { Root = scratch.Root, ImageSize = 8 }).Load(new DatasetLoadContext(1));
        using var scope = NewDisposeScope();
        var pass = new SamplePass(1, 0, true);

        using var subset = bundle.TrainSet.Subset(tensor(new long[] { 4, 2 }));

        Assert.Equal(bundle.TrainSet.Labels[4].item<long>(), subset.Labels[0].item<long>());
        Assert.True(subset.Load([0, 1], pass).equal(bundle.TrainSet.Load([4, 2], pass)).all().item<bool>());
        Assert.NotEqual(bundle.TrainSet.ContentDigest, subset.ContentDigest);
    }

    [Fact]
    public void TheDigestFollowsFilesAndTransformsButNotWorkers()
    {
        using var scratch = new ScratchFolder();
        TinyImageData.WriteFolder(scratch.Root);
        string? Digest(Action<ImageFolderOptions> change)
        {
            var options = new ImageFolderOptions { Root = scratch.Root, ImageSize = 8 };
            change(options);
            using var bundle = new ImageFolderDataset(options).Load(new DatasetLoadContext(1));
            return bundle.TrainSet.ContentDigest;
        }

        string? plain = Digest(_ => { });
        Assert.Equal(plain, Digest(o => o.Workers = 3));
        Assert.Equal(plain, Digest(o => o.Transforms.ChannelsLast = true)); // a layout: the samples are the same
        Assert.NotEqual(plain, Digest(o => o.Transforms.HorizontalFlip = 0));
        TinyImageData.Write(scratch.PathOf("c00/i00.png"), 0, 0, width: 13);
        Assert.NotEqual(plain, Digest(_ => { }));
    }
}
