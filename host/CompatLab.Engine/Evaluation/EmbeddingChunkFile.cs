using System.Buffers.Binary;
using System.Text;
using static TorchSharp.torch;

namespace CompatLab.Engine.Evaluation;

/// <summary>
/// Layout of a gallery embedding file, shared by <see cref="EmbeddingChunkWriter"/> and
/// <see cref="EmbeddingChunkReader"/>. A 32-byte header (magic, element type, dimension, row count) is followed by
/// chunks, each an int32 row count, that many int64 labels, then the rows of features (little-endian). Chunks let a
/// gallery of any size be written as it is embedded and read back a chunk at a time, so neither side ever holds it
/// whole; the row count is written last, when the writer closes, so a file cut short is recognised.
/// </summary>
internal static class EmbeddingChunkFile
{
    public const int HeaderLength = 32;

    /// <summary>Largest chunk a reader accepts: keeps a corrupt count from asking for an absurd buffer.</summary>
    public const int MaxChunkRows = 1 << 22;

    private static readonly byte[] Magic = Encoding.ASCII.GetBytes("CLEMBED1");

    public static int ElementSize(ScalarType type) => type switch
    {
        ScalarType.Float32 => 4,
        ScalarType.Float16 => 2,
        _ => throw new ArgumentException($"Gallery embeddings are stored as float32 or float16, not {type}."),
    };

    public static byte[] Header(ScalarType type, int dimension, long rows)
    {
        var header = new byte[HeaderLength];
        Magic.CopyTo(header, 0);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(8), (int)type);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(12), dimension);
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(16), rows);
        return header;
    }

    /// <summary>The element type, dimension and row count of a header, or why it is not one.</summary>
    public static (ScalarType Type, int Dimension, long Rows) ParseHeader(ReadOnlySpan<byte> header, string path)
    {
        if (header.Length < HeaderLength || !header[..Magic.Length].SequenceEqual(Magic))
        {
            throw new InvalidDataException($"{path}: not a gallery embedding file (expected the CLEMBED1 header).");
        }

        var type = (ScalarType)BinaryPrimitives.ReadInt32LittleEndian(header[8..]);
        int dimension = BinaryPrimitives.ReadInt32LittleEndian(header[12..]);
        long rows = BinaryPrimitives.ReadInt64LittleEndian(header[16..]);
        if (type is not (ScalarType.Float32 or ScalarType.Float16) || dimension < 1 || rows < -1)
        {
            throw new InvalidDataException(
                $"{path}: the header says element type {(int)type}, dimension {dimension}, {rows} rows; expected float32 or float16, a positive dimension and a row count.");
        }

        return (type, dimension, rows);
    }
}
