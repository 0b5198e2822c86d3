using CompatLab.Abstractions;
using CompatLab.Abstractions.Data;
using CompatLab.Plugins.Datasets.Images;
using CompatLab.Plugins.Datasets.Transforms;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Datasets.ImageSets;

/// <summary>
/// The images every set of one dataset draws from, by row: their files and labels, where their pixels come from,
/// the transforms, and the decode workers. Shared by the sets and their subsets; freed when the last one is disposed.
/// The row is also the sample index that seeds augmentation, so a subset augments an image as its parent does.
/// </summary>
internal sealed class ImageCollection(IReadOnlyList<ImageSample> samples, IImageSource source, ImageTransformPipeline pipeline, int workers, string digest)
{
    /// <summary>The dataset's images left out under skipUnreadable.</summary>
    public IReadOnlyList<SkippedImage> Skipped { get; init; } = [];

    private int users;

    public IReadOnlyList<ImageSample> Samples => samples;

    public int ImageSize => pipeline.ImageSize;

    /// <summary>SHA-256 (hex) over the files (relative path, size, modification time), labels, class names and settings.</summary>
    public string Digest => digest;

    public void Use() => Interlocked.Increment(ref users);

    public void Release()
    {
        if (Interlocked.Decrement(ref users) == 0)
        {
            source.Dispose();
        }
    }

    /// <summary>Whether the dataset was asked to skip unreadable images (which it can only do when it loads).</summary>
    public bool SkipUnreadable { get; init; }

    /// <summary>
    /// float32 [rows.Length, 3, S, S] (channels-last in memory when the transforms say so), made in the caller's
    /// dispose scope; decoded by up to <c>workers</c> threads.
    /// An image whose data turns out damaged stops the load with the first such image in batch order, whichever
    /// thread reached it first, so the same batch always names the same file.
    /// </summary>
    public Tensor Load(int[] rows, SamplePass pass)
    {
        var output = pipeline.NewBatch(rows.Length);
        var failures = new CompatLabUserException?[rows.Length];
        Parallel.For(0, rows.Length, new ParallelOptions { MaxDegreeOfParallelism = workers }, i =>
        {
            try
            {
                using var scope = NewDisposeScope();
                var image = source.Get(rows[i]);
                // Straight into the batch tensor's slot: no element-wise accessor (it cost about 1.2 ms an image at
                // 224 px, bench/README.md), no managed batch array copied again, no sample tensor copied once more.
                pipeline.Write(image, pass, rows[i], output[i]);
                source.Return(image); // nothing reads the image's pixels any more
            }
            catch (CompatLabUserException e)
            {
                failures[i] = e;
            }
        });

        if (failures.FirstOrDefault(f => f is not null) is { } first)
        {
            throw new CompatLabUserException($"{first.Message} ({FoundInBatch})", first);
        }

        return output;
    }

    // Skipping mid-epoch would change which samples an epoch holds once the damage is found, which depends on when a
    // batch is loaded; so a damaged image found in a batch stops the run, and the message says how to skip it instead.
    private string FoundInBatch => SkipUnreadable
        ? "found while loading a batch: its header passed the load-time check but its data is damaged. skipUnreadable only skips what the dataset finds when it loads; set `check: decode` to decode every image then, and such images are skipped before training"
        : "found while loading a batch; `check: decode` finds such images before training, and skipUnreadable then skips them";
}
