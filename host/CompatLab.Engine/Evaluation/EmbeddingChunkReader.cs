using System.Buffers.Binary;
using CompatLab.Abstractions;
using static TorchSharp.torch;

namespace CompatLab.Engine.Evaluation;

/// <summary>
/// Reads a file written by <see cref="EmbeddingChunkWriter"/> back one chunk at a time. The header is checked when
/// the reader opens; a file cut short or a chunk that does not add up fails with a message naming the file.
/// </summary>
public sealed class EmbeddingChunkReader
{
    private EmbeddingChunkReader(string path, ScalarType type, int dimension, long rows)
    {
        Path = path;
        ElementType = type;
        Dimension = dimension;
        Rows = rows;
    }

    public string Path { get; }

    public ScalarType ElementType { get; }

    public int Dimension { get; }

    public long Rows { get; }

    public static EmbeddingChunkReader Open(string path)
    {
        if (!File.Exists(path))
        {
            throw new CompatLabUserException($"{path}: gallery embedding file not found.");
        }

        using var stream = File.OpenRead(path);
        var header = new byte[EmbeddingChunkFile.HeaderLength];
        stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        try
        {
            var (type, dimension, rows) = EmbeddingChunkFile.ParseHeader(header, path);
            return rows < 0
                ? throw new CompatLabUserException($"{path}: the gallery embedding file was never finished (its writer did not close).")
                : new EmbeddingChunkReader(path, type, dimension, rows);
        }
        catch (InvalidDataException e)
        {
            throw new CompatLabUserException(e.Message);
        }
    }

    /// <summary>The chunks in file order, each owned by the caller: float features [n, d] of the file's type, int64 labels [n].</summary>
    public IEnumerable<EmbeddingChunk> ReadChunks()
    {
        using var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        stream.Position = EmbeddingChunkFile.HeaderLength;
        var countBytes = new byte[4];
        long start = 0;
        while (start < Rows)
        {
            ReadExactly(stream, countBytes, start);
            int count = BinaryPrimitives.ReadInt32LittleEndian(countBytes);
            if (count < 1 || count > EmbeddingChunkFile.MaxChunkRows || start + count > Rows)
            {
                throw new CompatLabUserException($"{Path}: corrupt chunk at row {start} (it claims {count} rows of the {Rows - start} left).");
            }

            // Read straight into the tensors' storage: no second copy of a chunk.
            var labels = empty(count, ScalarType.Int64);
            var features = empty(count, Dimension, ElementType);
            ReadExactly(stream, labels.bytes, start);
            ReadExactly(stream, features.bytes, start);
            yield return new EmbeddingChunk(start, features, labels);
            start += count;
        }
    }

    private void ReadExactly(Stream stream, Span<byte> buffer, long row)
    {
        if (stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false) != buffer.Length)
        {
            throw new CompatLabUserException($"{Path}: the file ends inside the chunk starting at row {row}; it is truncated (header: {Rows} rows).");
        }
    }
}
