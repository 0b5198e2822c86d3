using CompatLab.Abstractions;
using CompatLab.Plugins.Datasets.Images;

namespace CompatLab.Plugins.Datasets.ImageSets;

/// <summary>
/// Finds or builds the decoded cache of a dataset's images at one side. The file is named by the images' digest
/// and the side, so a later run (or another cell of a matrix) over the same files reuses it. Two processes building
/// at once are safe: a lock file lets one build while the others wait; the builder writes a temporary file and
/// renames it into place, so a reader never sees half a cache and a killed build leaves none.
/// </summary>
internal sealed class DecodedImageCache(string folder, string filesDigest, int side)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);

    /// <summary>Whether <see cref="OpenOrBuild"/> built the file (and so already reported its unreadable images) rather than reusing it.</summary>
    public bool Built { get; private set; }

    public string FilePath => Path.Combine(folder, $"{filesDigest[..24]}-{side}.rgb");

    public CachedImageSource OpenOrBuild(IReadOnlyList<ImageSample> samples, DecodingImageSource decoding, ImageScreening screening)
    {
        var layout = new CacheLayout(samples.Count, side);
        if (File.Exists(FilePath))
        {
            return CachedImageSource.Open(FilePath, layout);
        }

        Directory.CreateDirectory(folder);
        using (var held = WaitForLock())
        {
            if (!File.Exists(FilePath))
            {
                Build(samples, decoding, screening, layout);
                Built = true;
            }
        }

        return CachedImageSource.Open(FilePath, layout);
    }

    private FileStream WaitForLock()
    {
        string lockPath = FilePath + ".lock";
        bool told = false;
        while (true)
        {
            try
            {
                // FileShare.None takes an exclusive advisory lock (flock) on Unix, released when the stream closes or the process dies.
                return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (!File.Exists(FilePath))
            {
                if (!told)
                {
                    Console.Error.WriteLine($"image cache: another process is building {FilePath}; waiting for it.");
                    told = true;
                }

                Thread.Sleep(Poll);
            }
            catch (IOException)
            {
                // Built by the other process meanwhile: take the lock only to be sure it has finished renaming.
                Thread.Sleep(Poll);
            }
        }
    }

    private void Build(IReadOnlyList<ImageSample> samples, DecodingImageSource decoding, ImageScreening screening, CacheLayout layout)
    {
        string temporary = $"{FilePath}.{Environment.ProcessId}.tmp";
        try
        {
            using (var file = File.OpenHandle(temporary, FileMode.Create, FileAccess.ReadWrite, FileShare.None, FileOptions.RandomAccess, layout.FileLength))
            {
                RandomAccess.SetLength(file, layout.FileLength); // the reserved space alone leaves the length at 0
                var start = new byte[layout.PixelsStart]; // the header, then a status byte per image
                layout.WriteHeader(start);
                var progress = new CacheProgress(FilePath, samples.Count);
                string?[] problems = screening.Problems(samples.Count, row =>
                {
                    var image = decoding.Get(row);
                    RandomAccess.Write(file, image.Pixels, layout.RowOffset(row)); // positioned: safe from every worker
                    progress.Done();
                });
                for (int row = 0; row < samples.Count; row++)
                {
                    if (problems[row] is { } problem)
                    {
                        screening.Reject(samples[row], problem);
                        start[CacheLayout.HeaderLength + row] = 1;
                    }
                }

                RandomAccess.Write(file, start, 0);
                RandomAccess.FlushToDisk(file);
            }

            File.Move(temporary, FilePath);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
