using CompatLab.Abstractions;
using CompatLab.Plugins.Datasets.Images;

namespace CompatLab.Plugins.Datasets.ImageSets;

/// <summary>
/// Checks every image of an index when the dataset loads, before any training, on several threads. A problem stops
/// the load with a message naming the file and its list line, unless skipUnreadable is on: then the image is left
/// out and recorded in the skipped list.
/// </summary>
internal sealed class ImageScreening(string? listPath, bool skipUnreadable, int workers)
{
    private readonly List<SkippedImage> skipped = [];

    public IReadOnlyList<SkippedImage> Skipped => skipped;

    /// <summary>The images whose check found nothing wrong, in order.</summary>
    public List<ImageSample> Keep(IReadOnlyList<ImageSample> samples, Action<ImageSample> check)
    {
        var problems = Problems(samples.Count, row => check(samples[row]));
        var kept = new List<ImageSample>(samples.Count);
        for (int row = 0; row < samples.Count; row++)
        {
            if (problems[row] is null)
            {
                kept.Add(samples[row]);
            }
            else
            {
                Reject(samples[row], problems[row]!);
            }
        }

        return kept;
    }

    /// <summary>The problem of each row (null: none), with <paramref name="check"/> run on up to <c>workers</c> threads.</summary>
    public string?[] Problems(int count, Action<int> check)
    {
        var problems = new string?[count];
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = workers }, row =>
        {
            try
            {
                check(row);
            }
            catch (CompatLabUserException e)
            {
                problems[row] = e.Message;
            }
        });
        return problems;
    }

    /// <summary>Records the image as skipped, or stops the load when skipping is off.</summary>
    public void Reject(ImageSample sample, string problem)
    {
        string where = listPath is null || sample.ListLine == 0 ? string.Empty : $"{listPath}:{sample.ListLine}: ";
        if (!skipUnreadable)
        {
            throw new CompatLabUserException($"{where}{problem} (skipUnreadable: true leaves such images out and lists them)");
        }

        skipped.Add(new SkippedImage(sample.Path, sample.ListLine, problem));
    }

    /// <summary>The header check: the file exists, its format is one we read, and its size is within the pixel limit.</summary>
    public static void Header(ImageSample sample, ImageDecoder decoder)
    {
        if (!File.Exists(sample.Path))
        {
            throw new CompatLabUserException($"{sample.Path}: the image file does not exist.");
        }

        decoder.ReadHeader(sample.Path);
    }
}
