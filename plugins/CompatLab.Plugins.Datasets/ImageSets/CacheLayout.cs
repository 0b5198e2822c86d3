using System.Buffers.Binary;
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

    /// <summary>Writes the header into the first <see cref="HeaderLength"/> bytes of <paramref name="start"/>.</summary>
    public void WriteHeader(Span<byte> start)
    {
        Magic.CopyTo(start);
        BinaryPrimitives.WriteInt64LittleEndian(start[8..], Count);
        BinaryPrimitives.WriteInt32LittleEndian(start[16..], Side);
    }

    /// <summary>Whether <paramref name="header"/> (the file's first <see cref="HeaderLength"/> bytes) describes this layout.</summary>
    public bool HeaderMatches(ReadOnlySpan<byte> header) =>
        header.Length >= HeaderLength && header[..Magic.Length].SequenceEqual(Magic)
        && BinaryPrimitives.ReadInt64LittleEndian(header[8..]) == Count && BinaryPrimitives.ReadInt32LittleEndian(header[16..]) == Side;
}
