using static TorchSharp.torch;

namespace CompatLab.Engine.Evaluation;

/// <summary>
/// Appends gallery embeddings and their labels to a file a chunk at a time (<see cref="EmbeddingChunkFile"/>), in
/// float32 or in float16 (half the size; cosine rankings on the 2^-24 grid are then those of the rounded features).
/// The row count is written when the writer is disposed; a file whose writer never closed reads as truncated.
/// </summary>
public sealed class EmbeddingChunkWriter : IDisposable
{
    private readonly FileStream _stream;
    private readonly ScalarType _type;
    private readonly int _dimension;
    private long _rows;

    public EmbeddingChunkWriter(string path, int dimension, ScalarType type)
    {
        EmbeddingChunkFile.ElementSize(type);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        _type = type;
        _dimension = dimension;
        _stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);

        // A row count of -1 until closed: a reader refuses a file that was never finished.
        _stream.Write(EmbeddingChunkFile.Header(type, dimension, -1));
    }

    public long Rows => _rows;

    /// <summary>Appends [n, d] features (any floating type, converted to the file's) and their [n] integer labels.</summary>
    public void Append(Tensor features, Tensor labels)
    {
        if (features.dim() != 2 || features.shape[1] != _dimension)
        {
            throw new ArgumentException($"Features must be [n, {_dimension}], got [{string.Join(", ", features.shape)}].");
        }

        if (labels.dim() != 1 || labels.shape[0] != features.shape[0])
        {
            throw new ArgumentException($"Labels must be [{features.shape[0]}], got [{string.Join(", ", labels.shape)}].");
        }

        int count = checked((int)features.shape[0]);
        if (count == 0)
        {
            return;
        }

        using var scope = NewDisposeScope();
        Span<byte> rowCount = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(rowCount, count);
        _stream.Write(rowCount);
        _stream.Write(labels.to(ScalarType.Int64, CPU).contiguous().bytes);
        _stream.Write(features.to(_type, CPU).contiguous().bytes);
        _rows += count;
    }

    public void Dispose()
    {
        _stream.Position = 0;
        _stream.Write(EmbeddingChunkFile.Header(_type, _dimension, _rows));
        _stream.Dispose();
    }
}
