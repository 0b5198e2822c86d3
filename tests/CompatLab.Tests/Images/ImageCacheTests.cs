using CompatLab.Abstractions.Data;
using CompatLab.Plugins.Datasets.Images;
using CompatLab.Plugins.Datasets.ImageSets;
using CompatLab.Tests.Support;
using SkiaSharp;
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

    [Fact]
    public void AnUnreadableLastImageLeavesACacheOfFullLengthThatMarksIt()
    {
        using var scratch = new ScratchFolder();
        TinyImageData.WriteFolder(scratch.PathOf("data"));
        var samples = ImageFolderIndex.Build(scratch.PathOf("data")).Samples;
        // A JPEG cut in half (under the PNG's name: the decoder goes by content): its header passes the load-time
        // check, its data fails when the cache decodes it, so the last row is never written.
        TinyImageData.Write(samples[^1].Path, 0, 1, SKEncodedImageFormat.Jpeg, 64, 48);
        byte[] jpeg = File.ReadAllBytes(samples[^1].Path);
        File.WriteAllBytes(samples[^1].Path, jpeg[..(jpeg.Length / 2)]);
        string folder = scratch.PathOf("cache");
        var options = new ImageFolderOptions
        {
            Root = scratch.PathOf("data"),
            ImageSize = 6,
            SkipUnreadable = true,
            Cache = new ImageCacheOptions { ShortSide = 8, Folder = folder },
        };

        using (var bundle = new ImageFolderDataset(options).Load(new DatasetLoadContext(1)))
        {
            Assert.Single(bundle.Skipped);
        }

        string file = Directory.GetFiles(folder, "*.rgb").Single();
        var layout = new CacheLayout(samples.Count, 8);
        Assert.Equal(layout.FileLength, new FileInfo(file).Length);
        using var cached = CachedImageSource.Open(file, layout);
        Assert.Equal(Enumerable.Range(0, samples.Count).Select(row => row == samples.Count - 1), cached.Unreadable);
    }

    [Fact]
    public void ACacheCutShortIsRefusedByNameWhenOpened()
    {
        using var scratch = new ScratchFolder();
        string file = scratch.PathOf("cut.rgb");
        var layout = new CacheLayout(3, 8);
        File.WriteAllBytes(file, new byte[layout.FileLength - 1]);

        var error = Assert.Throws<CompatLab.Abstractions.CompatLabUserException>(() => CachedImageSource.Open(file, layout));

        Assert.Contains(file, error.Message);
        Assert.Contains("delete it to rebuild", error.Message);
        File.WriteAllBytes(file, new byte[layout.FileLength]); // the right length, but no header
        Assert.Contains("not a decoded cache", Assert.Throws<CompatLab.Abstractions.CompatLabUserException>(() => CachedImageSource.Open(file, layout)).Message);
    }

    private static Tensor LoadTrain(ScratchFolder scratch, string folder, SamplePass pass, long[] indices)
    {
        var options = new ImageFolderOptions { Root = scratch.PathOf("data"), ImageSize = 6, Workers = 2, Cache = new ImageCacheOptions { ShortSide = 8, Folder = folder } };
        using var bundle = new ImageFolderDataset(options).Load(new DatasetLoadContext(1));
        return bundle.TrainSet.Load(indices, pass);
    }
}
