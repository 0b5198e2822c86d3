using System.ComponentModel;
using CompatLab.Abstractions;
using CompatLab.Abstractions.Plugins;
using CompatLab.Plugins.Datasets.Transforms;

namespace CompatLab.Plugins.Datasets.ImageSets;

/// <summary>What image-folder and image-list share: output size, split, decoding workers, bad-image policy, transforms and cache.</summary>
public abstract class ImageDatasetOptions : IValidatableOptions
{
    [Description("Side of the square images handed to the model (224 for ImageNet-sized trunks, 32 or less for tests).")]
    public int ImageSize { get; set; } = 224;

    [Description("Evaluation (and training without random-resized crop): the short side is resized to this, then the centre imageSize square is cut; 0 uses imageSize.")]
    public int ResizeShortSide { get; set; }

    [Description("Share of each class held out as the test set when the data names no roles.")]
    public double TestFraction { get; set; } = 0.2;

    [Description("Seed of the train/test split; 0 uses the run seed.")]
    public int SplitSeed { get; set; }

    [Description("Threads decoding one batch; 0 uses what the host allows (DatasetLoadContext.DecodeWorkers), else one per core.")]
    public int Workers { get; set; }

    [Description("How images are checked when the dataset loads: header (format, size, pixel limit) or decode (every image decoded once; finds damaged data too).")]
    public ImageCheck Check { get; set; } = ImageCheck.Header;

    [Description("Refuse images with more pixels than this (decompression bombs).")]
    public long MaxPixels { get; set; } = Images.ImageDecoder.DefaultMaxPixels;

    [Description("Which library decodes JPEG pixels: auto (turbojpeg when libturbojpeg is installed, else skia), skia, or turbojpeg (an error without libturbojpeg).")]
    public Images.JpegDecoder Decoder { get; set; } = Images.JpegDecoder.Auto;

    [Description("Skip missing, unreadable or refused images (counted, listed on stderr and in skippedList) instead of stopping.")]
    public bool SkipUnreadable { get; set; }

    [Description("With skipUnreadable: a file to write the skipped images to, one 'path<TAB>reason' line each; empty writes none.")]
    public string SkippedList { get; set; } = string.Empty;

    [Description("Augmentation and normalisation.")]
    public ImageTransformOptions Transforms { get; set; } = new();

    [Description("Optional decoded cache: { shortSide, folder }; absent decodes every image at every load.")]
    public ImageCacheOptions? Cache { get; set; }

    /// <summary>The short side evaluation resizes to.</summary>
    public int EffectiveResizeShortSide => ResizeShortSide == 0 ? ImageSize : ResizeShortSide;

    /// <summary>
    /// The options, or <see cref="CompatLabUserException"/> "dataset '{plugin}': problems" as the SDK's OptionsGuard
    /// words it (not called here, so the test project can compile these sources without the SDK).
    /// </summary>
    public static T Checked<T>(T options, string plugin)
        where T : ImageDatasetOptions
    {
        string[] problems = options.Validate().ToArray();
        return problems.Length == 0 ? options : throw new CompatLabUserException($"dataset '{plugin}': {string.Join(" ", problems)}");
    }

    public virtual IEnumerable<string> Validate()
    {
        var problems = new List<string>();
        if (ImageSize < 1)
        {
            problems.Add($"imageSize must be at least 1 pixel, got {ImageSize}.");
        }

        if (ResizeShortSide != 0 && ResizeShortSide < ImageSize)
        {
            problems.Add($"resizeShortSide must be 0 (imageSize) or at least imageSize ({ImageSize}), got {ResizeShortSide}.");
        }

        if (!double.IsFinite(TestFraction) || TestFraction <= 0 || TestFraction >= 1)
        {
            problems.Add($"testFraction must be between 0 and 1 (exclusive), got {TestFraction}.");
        }

        if (Workers < 0)
        {
            problems.Add($"workers must be 0 (one per core) or a positive count, got {Workers}.");
        }

        if (MaxPixels < 1)
        {
            problems.Add($"maxPixels must be a positive count, got {MaxPixels}.");
        }

        problems.AddRange(Transforms.Validate("transforms."));
        if (Cache is not null)
        {
            problems.AddRange(Cache.Validate(ImageSize));
        }

        return problems;
    }
}
