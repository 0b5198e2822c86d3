using CompatLab.Abstractions.Data;
using CompatLab.Plugins.Datasets.Images;
using CompatLab.Plugins.Datasets.ImageSets;
using CompatLab.Tests.Support;
using Xunit;
using static TorchSharp.torch;

namespace CompatLab.Tests.Images;

public class ImageCacheTests
{
    [Fact]
    public void ACacheHitGivesTheSamePixelsAsDecodingAndIsReused()
    {
        using var scratch = new ScratchFolder();
        TinyImageData.WriteFolder(scratch.PathOf("data"));
        string folder = scratch.PathOf("cache");
        var pass = new SamplePass(2, 1, true);
        using var scope = NewDisposeScope();

        var built = LoadTrain(scratch, folder, pass, [0, 5, 11, 3]);
        string file = Directory.GetFiles(folder, "*.rgb").Single();
        DateTime writtenAt = File.GetLastWriteTimeUtc(file);
        var hit = LoadTrain(scratch, folder, pass, [0, 5, 11, 3]);

        Assert.True(hit.equal(built).all().item<bool>());
        Assert.Equal(writtenAt, File.GetLastWriteTimeUtc(file));
        var samples = ImageFolderIndex.Build(scratch.PathOf("data")).Samples;
        using var cached = CachedImageSource.Open(file, new CacheLayout(samples.Count, 8));
        using var decoding = new DecodingImageSource(samples, new ImageDecoder(), 8, 8);
        foreach (int row in Enumerable.Range(0, samples.Count))
        {
            var image = cached.Get(row);
            Assert.Equal(decoding.Get(row).Pixels, image.Pixels);
            cached.Return(image); // the next row is read into this buffer and must overwrite all of it
        }
    }

    [Fact]
    public async Task TwoBuildersAtOnceLeaveOneCompleteCache()
    {
        using var scratch = new ScratchFolder();
        TinyImageData.WriteFolder(scratch.PathOf("data"), classes: 4, perClass: 20);
        string folder = scratch.PathOf("cache");

        var loads = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            using var scope = NewDisposeScope();
            return LoadTrain(scratch, folder, SamplePass.Evaluation, [0, 1, 2]).data<float>().ToArray();
        })).ToArray();
        float[][] results = await Task.WhenAll(loads);

        Assert.Equal(results[0], results[1]);
        Assert.Single(Directory.GetFiles(folder, "*.rgb"));
        Assert.Empty(Directory.GetFiles(folder, "*.tmp"));
    }

    private static Tensor LoadTrain(ScratchFolder scratch, string folder, SamplePass pass, long[] indices)
    {
        var options = new ImageFolderOptions { Root = scratch.PathOf("data"), ImageSize = 6, Workers = 2, Cache = new ImageCacheOptions { ShortSide = 8, Folder = folder } };
        using var bundle = new ImageFolderDataset(options).Load(new DatasetLoadContext(1));
        return bundle.TrainSet.Load(indices, pass);
    }
}
