using System.Buffers.Binary;
using CompatLab.Abstractions;
using TorchSharp;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Datasets.Idx;

/// <summary>
/// Reads unsigned-byte IDX files (the MNIST format): two zero bytes, the type byte 0x08, the dimension count,
/// then that many big-endian int32 sizes and exactly their product of data bytes. The whole file becomes one
/// tensor; nothing is read sample by sample.
/// </summary>
internal static class IdxReader
{
    private const byte UnsignedByteType = 0x08;

    /// <summary>uint8 [N, rows, columns].</summary>
    public static Tensor ReadImages(string path) => Read(path, new IdxLayout("image", "images", ["count", "rows", "columns"]));

    /// <summary>uint8 [N].</summary>
    public static Tensor ReadLabels(string path) => Read(path, new IdxLayout("label", "labels", ["count"]));

    private static Tensor Read(string path, IdxLayout layout)
    {
        byte[] bytes = IdxFileBytes.ReadAll(path);
        int headerLength = 4 + (4 * layout.Rank);
        CheckMagic(path, bytes, layout, headerLength);

        long[] sizes = ReadSizes(path, bytes, layout);
        long expected = sizes.Aggregate(1L, (product, size) => product * size);
        long found = bytes.LongLength - headerLength;
        if (found != expected)
        {
            throw new CompatLabUserException(
                $"{path}: expected {expected} {layout.Item} bytes after the header ({string.Join(" x ", sizes)}), found {found}.");
        }

        // frombuffer shares the array (no copy); the caller converts the result to its own dtype and disposes it.
        using var scope = NewDisposeScope();
        return frombuffer(bytes, ScalarType.Byte, expected, headerLength).reshape(sizes).MoveToOuterDisposeScope();
    }

    private static void CheckMagic(string path, byte[] bytes, IdxLayout layout, int headerLength)
    {
        if (bytes.Length < 4)
        {
            throw new CompatLabUserException(
                $"{path}: expected an IDX header of {headerLength} bytes, the file has only {bytes.Length}.");
        }

        if (bytes[0] != 0 || bytes[1] != 0)
        {
            throw new CompatLabUserException(
                $"{path}: not an IDX file: expected its first two bytes to be 0x00 0x00, found 0x{bytes[0]:X2} 0x{bytes[1]:X2}.");
        }

        if (bytes[2] != UnsignedByteType)
        {
            throw new CompatLabUserException(
                $"{path}: expected IDX data type 0x08 (unsigned byte), found 0x{bytes[2]:X2} ({TypeName(bytes[2])}).");
        }

        if (bytes[3] != layout.Rank)
        {
            throw new CompatLabUserException(
                $"{path}: expected {layout.Rank} dimension(s) for {layout.Items} ({string.Join(" x ", layout.DimensionNames)}), " +
                $"found {bytes[3]}{KindHint(bytes[3])}.");
        }

        if (bytes.Length < headerLength)
        {
            throw new CompatLabUserException(
                $"{path}: expected an IDX header of {headerLength} bytes, the file has only {bytes.Length}.");
        }
    }

    private static long[] ReadSizes(string path, byte[] bytes, IdxLayout layout)
    {
        var sizes = new long[layout.Rank];
        for (int d = 0; d < layout.Rank; d++)
        {
            sizes[d] = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(4 + (4 * d)));
            if (sizes[d] == 0)
            {
                throw new CompatLabUserException(
                    $"{path}: expected a positive {layout.DimensionNames[d]} in the header, found 0.");
            }

            // Bounds the product so it cannot overflow; no file this large can be read into one array anyway.
            if (sizes[d] > Array.MaxLength)
            {
                throw new CompatLabUserException(
                    $"{path}: the header gives {layout.DimensionNames[d]} = {sizes[d]}, more than one file can hold.");
            }
        }

        if (sizes.Aggregate(1.0, (product, size) => product * size) > Array.MaxLength)
        {
            throw new CompatLabUserException(
                $"{path}: the header gives {string.Join(" x ", sizes)} {layout.Items}, more than one file can hold.");
        }

        return sizes;
    }

    private static string KindHint(byte rank) => rank switch
    {
        1 => " (is this a label file?)",
        3 => " (is this an image file?)",
        _ => string.Empty,
    };

    private static string TypeName(byte type) => type switch
    {
        0x09 => "signed byte",
        0x0B => "int16",
        0x0C => "int32",
        0x0D => "float32",
        0x0E => "float64",
        _ => "not an IDX type",
    };

    private sealed record IdxLayout(string Item, string Items, string[] DimensionNames)
    {
        public int Rank => DimensionNames.Length;
    }
}
