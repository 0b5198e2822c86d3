using System.Collections.Concurrent;
using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;
using CompatLab.Abstractions;
using CompatLab.Plugins.Datasets.Images;

namespace CompatLab.Plugins.Datasets.ImageSets;

/// <summary>
/// Reads images from a decoded cache file, memory-mapped read-only: the operating system pages rows in on demand
/// and shares them between the processes of a matrix. Layout: <see cref="CacheLayout"/>.
/// </summary>
internal sealed class CachedImageSource : IImageSource
{
    private readonly MemoryMappedFile file;
    private readonly MemoryMappedViewAccessor view;
    private readonly CacheLayout layout;

    // Row buffers handed back by the loader: a fresh 0.2 MB array per image cost about 0.12 ms in allocation and
    // page faults, more than the copy out of the mapped file (bench/README.md, "Image pipeline").
    private readonly ConcurrentBag<byte[]> buffers = [];

    private CachedImageSource(MemoryMappedFile file, MemoryMappedViewAccessor view, CacheLayout layout)
    {
        this.file = file;
        this.view = view;
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

        var file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        var view = file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
        if (!expected.HeaderMatches(view))
        {
            view.Dispose();
            file.Dispose();
            throw new CompatLabUserException($"{path}: not a decoded cache for these images; delete it to rebuild.");
        }

        var status = new byte[expected.Count];
        view.ReadArray(CacheLayout.HeaderLength, status, 0, status.Length);
        return new CachedImageSource(file, view, expected) { Unreadable = status.Select(s => s != 0).ToArray() };
    }

    public DecodedImage Get(int row)
    {
        var pixels = buffers.TryTake(out var reused) ? reused : GC.AllocateUninitializedArray<byte>((int)layout.RowLength);
        // One block copy from the mapping. The accessor's ReadArray and the handle's ReadSpan copy element by element
        // (a fifth of a cache hit's time went there). The view outlives every read: the collection disposes this
        // source only after its last set is gone.
        Marshal.Copy(view.SafeMemoryMappedViewHandle.DangerousGetHandle() + (nint)(view.PointerOffset + layout.RowOffset(row)), pixels, 0, pixels.Length);
        return new DecodedImage(layout.Side, layout.Side, pixels);
    }

    public void Return(DecodedImage image)
    {
        if (image.Pixels.Length == layout.RowLength)
        {
            buffers.Add(image.Pixels);
        }
    }

    public void Dispose()
    {
        view.Dispose();
        file.Dispose();
    }
}
