using System.Text.Json;
using CompatLab.Abstractions;
using CompatLab.Abstractions.Data;
using CompatLab.Plugins.Datasets.Images;
using CompatLab.Plugins.Datasets.Transforms;

namespace CompatLab.Plugins.Datasets.ImageSets;

/// <summary>
/// Turns an image index into a dataset bundle: checks every image (skipping the bad ones when asked), opens or builds
/// the decoded cache, splits by role or by class, and makes sets that decode on demand over one shared collection.
/// </summary>
internal sealed class ImageBundleBuilder(string plugin, ImageDatasetOptions options, string baseFolder, string? listPath)
{
    public DatasetBundle Build(ImageIndex index, DatasetLoadContext context, bool byRole)
    {
        int workers = options.Workers > 0 ? options.Workers : context.DecodeWorkers;
        var decoder = new ImageDecoder(options.MaxPixels, options.Decoder);
        Console.Error.WriteLine($"{plugin}: {workers} decode worker{(workers == 1 ? string.Empty : "s")}, JPEG decoder {decoder.JpegLibrary} (decoder: {options.Decoder.ToString().ToLowerInvariant()})");
        var screening = new ImageScreening(listPath, options.SkipUnreadable, workers);
        int shrinkTarget = options.Cache?.ShortSide ?? options.EffectiveResizeShortSide;
        bool decodeAll = options.Check == ImageCheck.Decode && options.Cache is null; // a cache build decodes them anyway
        var samples = screening.Keep(index.Samples, sample =>
        {
            ImageScreening.Header(sample, decoder);
            if (decodeAll)
            {
                decoder.Decode(sample.Path, shrinkTarget);
            }
        });
        string filesDigest = ImageDigest.Files(samples, baseFolder);
        var decoding = new DecodingImageSource(samples, decoder, shrinkTarget, options.Cache?.ShortSide);
        IImageSource source = decoding;
        bool[] unreadable = new bool[samples.Count];
        if (options.Cache is { } cache)
        {
            var cacheFile = new DecodedImageCache(cache.EffectiveFolder, filesDigest, cache.ShortSide);
            var cached = cacheFile.OpenOrBuild(samples, decoding, screening);
            (source, unreadable) = (cached, cached.Unreadable);
            for (int row = 0; row < samples.Count && !cacheFile.Built; row++)
            {
                if (unreadable[row])
                {
                    screening.Reject(samples[row], $"{samples[row].Path}: could not be decoded when the cache {cache.EffectiveFolder} was built.");
                }
            }
        }

        SkippedImageReport.Write(plugin, screening.Skipped, options.SkippedList);
        int[] rows = Enumerable.Range(0, samples.Count).Where(r => !unreadable[r]).ToArray();
        string digest = ImageDigest.Collection(filesDigest, samples, index.ClassNames, Settings());
        var pipeline = new ImageTransformPipeline(options.ImageSize, options.EffectiveResizeShortSide, options.Transforms);
        var collection = new ImageCollection(samples, source, pipeline, workers, digest) { Skipped = screening.Skipped.ToArray(), SkipUnreadable = options.SkipUnreadable };
        collection.Use(); // held while the sets are made, so a failed split still frees the source
        try
        {
            // The host lists the skipped images in the run folder (DatasetBundle.Skipped).
            var skipped = screening.Skipped.Select(s => new SkippedSample(s.Path, s.Reason)).ToArray();
            return byRole ? ByRole(collection, rows, index.ClassNames, skipped) : ByClass(collection, rows, index.ClassNames, context.Seed, skipped);
        }
        finally
        {
            collection.Release();
        }
    }

    private DatasetBundle ByClass(ImageCollection collection, int[] rows, IReadOnlyList<string> classNames, int runSeed, SkippedSample[] skipped)
    {
        var (train, test) = ImageSplits.ByClass(collection.Samples, rows, options.TestFraction, options.SplitSeed == 0 ? runSeed : options.SplitSeed);
        if (train.Length == 0 || test.Length == 0)
        {
            throw new CompatLabUserException(
                $"dataset '{plugin}': {rows.Length} usable images give {train.Length} training and {test.Length} test images with testFraction {options.TestFraction}; both need at least one.");
        }

        return new DatasetBundle(plugin, new ImageSampleSet(collection, train), new ImageSampleSet(collection, test), classNames) { Skipped = skipped };
    }

    private DatasetBundle ByRole(ImageCollection collection, int[] rows, IReadOnlyList<string> classNames, SkippedSample[] skipped)
    {
        var (train, query, gallery) = ImageSplits.ByRole(collection.Samples, rows, classNames, listPath!);
        return new DatasetBundle(plugin, new ImageSampleSet(collection, train), new ImageSampleSet(collection, [.. query, .. gallery]), classNames)
        {
            Query = new ImageSampleSet(collection, query),
            Gallery = new ImageSampleSet(collection, gallery),
            Skipped = skipped,
        };
    }

    /// <summary>Every setting that changes the samples, for the digest (workers and checks do not).</summary>
    private string Settings() => JsonSerializer.Serialize(new
    {
        options.ImageSize,
        options.EffectiveResizeShortSide,
        CacheSide = options.Cache?.ShortSide,
        options.Transforms,
    });
}
