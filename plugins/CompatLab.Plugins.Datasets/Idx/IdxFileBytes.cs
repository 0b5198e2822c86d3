using System.Buffers.Binary;
using System.IO.Compression;
using CompatLab.Abstractions;

namespace CompatLab.Plugins.Datasets.Idx;

/// <summary>Reads a whole file into one array, gunzipping it when it starts with the gzip signature.</summary>
internal static class IdxFileBytes
{
    private const int LargestDeflateRatio = 1032;

    public static byte[] ReadAll(string path)
    {
        byte[] stored;
        try
        {
            stored = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CompatLabUserException($"{path}: cannot be read ({e.Message}).", e);
        }

        return IsGzip(stored) ? Gunzip(path, stored) : stored;
    }

    // By content, not by name: a renamed file still reads, and a raw file called .gz is not mistaken.
    private static bool IsGzip(byte[] bytes) => bytes.Length >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b;

    private static byte[] Gunzip(string path, byte[] compressed)
    {
        try
        {
            using var output = new MemoryStream(ExpectedSize(compressed));
            using (var gzip = new GZipStream(new MemoryStream(compressed, writable: false), CompressionMode.Decompress))
            {
                gzip.CopyTo(output);
            }

            // The gzip trailer usually gives the exact size, so the buffer is already the result and needs no copy.
            return output.Length == output.Capacity ? output.GetBuffer() : output.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new CompatLabUserException($"{path}: starts like a gzip file but cannot be decompressed ({e.Message}).", e);
        }
    }

    /// <summary>The size the gzip trailer records (modulo 2^32), when it is plausible; otherwise a guess.</summary>
    private static int ExpectedSize(byte[] compressed)
    {
        if (compressed.Length < 18)
        {
            return 0;
        }

        uint recorded = BinaryPrimitives.ReadUInt32LittleEndian(compressed.AsSpan(compressed.Length - 4));
        long plausible = Math.Min(Array.MaxLength, (long)compressed.Length * LargestDeflateRatio);
        return recorded <= plausible ? (int)recorded : compressed.Length;
    }
}
