namespace CompatLab.Plugins.Datasets.ImageSets;

/// <summary>The cache build's progress line on stderr, every tenth of the images (called from several threads).</summary>
internal sealed class CacheProgress(string path, int total)
{
    private int done;

    public void Done()
    {
        int now = Interlocked.Increment(ref done);
        int step = Math.Max(1, total / 10);
        if (now % step == 0 || now == total)
        {
            Console.Error.WriteLine($"image cache: {now}/{total} images decoded into {path} ({100L * now / Math.Max(1, total)}%)");
        }
    }
}
