using System.IO.MemoryMappedFiles;
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
        var pixels = new byte[layout.RowLength];
        view.ReadArray(layout.RowOffset(row), pixels, 0, pixels.Length);
        return new DecodedImage(layout.Side, layout.Side, pixels);
    }

    public void Dispose()
    {
        view.Dispose();
        file.Dispose();
    }
}
