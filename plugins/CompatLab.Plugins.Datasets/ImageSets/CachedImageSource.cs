using System.Collections.Concurrent;
using CompatLab.Abstractions;
using CompatLab.Plugins.Datasets.Images;
using Microsoft.Win32.SafeHandles;

namespace CompatLab.Plugins.Datasets.ImageSets;

/// <summary>
/// Reads images from a decoded cache file (layout: <see cref="CacheLayout"/>), each row with one positioned read
/// (pread) into a buffer the loader hands back. The operating system's page cache keeps the file's pages and shares
/// them between the processes of a matrix. Reads, not a memory mapping: the first touch of a mapped row cost
/// 0.13 ms (three or four page faults; 0.012 ms once mapped) against 0.022 ms for a read, so a process's first
/// epoch of cache hits ran at half speed; and mapped pages count in the process's resident memory (peak RSS 840 MB
/// against 280 MB in bench/images.sh) and grow its page tables with the cache (bench/README.md, "Image pipeline").
/// </summary>
internal sealed class CachedImageSource : IImageSource
{
    private readonly SafeFileHandle file;
    private readonly string path;
    private readonly CacheLayout layout;

    // Row buffers handed back by the loader: a fresh 0.2 MB array per image cost about 0.12 ms in allocation and
    // page faults, more than the read itself.
    private readonly ConcurrentBag<byte[]> buffers = [];

    private CachedImageSource(SafeFileHandle file, string path, CacheLayout layout)
    {
        this.file = file;
        this.path = path;
        this.layout = layout;
    }

    /// <summary>Rows the cache builder could not decode (skipped under skipUnreadable).</summary>
    public bool[] Unreadable { get; private init; } = [];

    public static CachedImageSource Open(string path, CacheLayout expected)
    {
        long length = new FileInfo(path).Length;
        if (length != expected.FileLength)
        {
            throw new CompatLabUserException($"{path}: the decoded cache is {length} bytes, expected {expected.FileLength}; delete it to rebuild.");
        }

        var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.RandomAccess);
        var start = new byte[expected.PixelsStart]; // the header and the status bytes
        if (RandomAccess.Read(file, start, 0) != start.Length || !expected.HeaderMatches(start))
        {
            file.Dispose();
            throw new CompatLabUserException($"{path}: not a decoded cache for these images; delete it to rebuild.");
        }

        var status = start.Skip(CacheLayout.HeaderLength).Take((int)expected.Count);
        return new CachedImageSource(file, path, expected) { Unreadable = status.Select(s => s != 0).ToArray() };
    }

    public DecodedImage Get(int row)
    {
        var pixels = buffers.TryTake(out var reused) ? reused : GC.AllocateUninitializedArray<byte>((int)layout.RowLength);
        // The handle outlives every read: the collection disposes this source only after its last set is gone.
        int read = RandomAccess.Read(file, pixels, layout.RowOffset(row));
        if (read != pixels.Length)
        {
            throw new CompatLabUserException($"{path}: the decoded cache ended inside image row {row} (read {read} of {pixels.Length} bytes); it was changed while in use: delete it to rebuild.");
        }

        return new DecodedImage(layout.Side, layout.Side, pixels);
    }

    public void Return(DecodedImage image)
    {
        if (image.Pixels.Length == layout.RowLength)
        {
            buffers.Add(image.Pixels);
        }
    }

    public void Dispose() => file.Dispose();
}
