using System.IO.MemoryMappedFiles;
using System.Text;

namespace CompatLab.Plugins.Datasets.ImageSets;

/// <summary>
/// The decoded cache file: a 64-byte header (magic "CLIMGC01", int64 image count, int32 side), one status byte per
/// image (0 decoded, 1 unreadable), padding to 64 bytes, then per image side x side x 3 bytes of RGB in
/// height-width-channel order.
/// </summary>
internal sealed record CacheLayout(long Count, int Side)
{
    public const int HeaderLength = 64;

    private static readonly byte[] Magic = Encoding.ASCII.GetBytes("CLIMGC01");

    public long RowLength => (long)Side * Side * 3;

    public long PixelsStart => (HeaderLength + Count + 63) / 64 * 64;

    public long FileLength => PixelsStart + (Count * RowLength);

    public long RowOffset(int row) => PixelsStart + (row * RowLength);

    public void WriteHeader(MemoryMappedViewAccessor view)
    {
        view.WriteArray(0, Magic, 0, Magic.Length);
        view.Write(8, Count);
        view.Write(16, Side);
    }

    public bool HeaderMatches(MemoryMappedViewAccessor view)
    {
        var magic = new byte[Magic.Length];
        view.ReadArray(0, magic, 0, magic.Length);
        return magic.SequenceEqual(Magic) && view.ReadInt64(8) == Count && view.ReadInt32(16) == Side;
    }
}
