using CompatLab.Abstractions;
using CompatLab.Abstractions.Data;
using CompatLab.Plugins.Datasets.ImageSets;
using CompatLab.Tests.Support;
using SkiaSharp;
using Xunit;
using static TorchSharp.torch;

namespace CompatLab.Tests.Images;

/// <summary>
/// An image whose header is fine and whose data is damaged passes the header check and is found when a batch loads
/// it: under skipUnreadable too the load stops, always naming the first damaged image in batch order, and says to
/// use `check: decode` so that such images are skipped before training.
/// </summary>
public class DamagedImageBodyTests
{
    [Fact]
    public void ABatchWithDamagedImagesAlwaysNamesTheFirstInBatchOrderAndPointsToTheDecodeCheck()
    {
        using var scratch = new ScratchFolder();
        string list = TinyImageData.WriteList(scratch.Root);
        Damage(scratch.PathOf("c00/i01.png"));
        Damage(scratch.PathOf("c00/i02.png"));
        using var bundle = new ImageListDataset(new ImageListDatasetOptions { List = list, ImageSize = 8, Workers = 2, SkipUnreadable = true })
            .Load(new DatasetLoadContext(1));
        long[] forward = Enumerable.Range(0, (int)bundle.TrainSet.Count).Select(i => (long)i).ToArray();
        long[] backward = forward.Reverse().ToArray();

        for (int attempt = 0; attempt < 4; attempt++)
        {
            Assert.Contains("c00/i01.png", Failure(bundle.TrainSet, forward));
            string message = Failure(bundle.TrainSet, backward);
            Assert.Contains("c00/i02.png", message);
            Assert.Contains("set `check: decode`", message);
            Assert.Contains("skipUnreadable only skips what the dataset finds when it loads", message);
        }
    }

    private static string Failure(ISampleSet set, long[] indices)
    {
        using var scope = NewDisposeScope();
        return Assert.Throws<CompatLabUserException>(() => set.Load(indices, new SamplePass(1, 0, Augment: true))).Message;
    }

    /// <summary>A JPEG cut in half: its header is whole, its data is not.</summary>
    private static void Damage(string path)
    {
        TinyImageData.Write(path, 0, 1, SKEncodedImageFormat.Jpeg, 64, 48);
        byte[] jpeg = File.ReadAllBytes(path);
        File.WriteAllBytes(path, jpeg[..(jpeg.Length / 2)]);
    }
}
