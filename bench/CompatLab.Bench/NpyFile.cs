using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CompatLab.Abstractions;

namespace CompatLab.Bench;

/// <summary>
/// Little-endian float32 matrices and int64 vectors in NumPy's .npy format (version 1.0), so a Python reference
/// loads exactly the bytes our benchmark used with <c>numpy.load</c>.
/// </summary>
public static partial class NpyFile
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0];

    public static void WriteFloat32(string path, float[] values, int rows, int columns)
    {
        ArgumentNullException.ThrowIfNull(values);
        if ((long)rows * columns != values.Length)
        {
            throw new ArgumentException($"{values.Length} values do not fill a {rows} x {columns} matrix.", nameof(values));
        }

        Write(path, "<f4", $"({rows}, {columns})", System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
    }

    public static void WriteInt64(string path, long[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        Write(path, "<i8", $"({values.Length},)", System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
    }

    public static (float[] Values, int Rows, int Columns) ReadFloat32(string path)
    {
        var (shape, data) = Read(path, "<f4");
        if (shape.Length != 2)
        {
            throw new CompatLabUserException($"{path}: expected a 2-D float32 array, got shape ({string.Join(", ", shape)})");
        }

        return (System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(data).ToArray(), shape[0], shape[1]);
    }

    public static long[] ReadInt64(string path)
    {
        var (shape, data) = Read(path, "<i8");
        if (shape.Length != 1)
        {
            throw new CompatLabUserException($"{path}: expected a 1-D int64 array, got shape ({string.Join(", ", shape)})");
        }

        return System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(data).ToArray();
    }

    private static void Write(string path, string descr, string shape, ReadOnlySpan<byte> data)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("NpyFile writes little-endian data from a little-endian machine only.");
        }

        // The header is padded with spaces and ends in a newline so that the data starts on a 64-byte boundary.
        string header = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}";
        int unpadded = Magic.Length + 2 + header.Length + 1;
        header = header + new string(' ', (64 - (unpadded % 64)) % 64) + "\n";
        using var stream = File.Create(path);
        stream.Write(Magic);
        Span<byte> length = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(length, checked((ushort)header.Length));
        stream.Write(length);
        stream.Write(Encoding.ASCII.GetBytes(header));
        stream.Write(data);
    }

    private static (int[] Shape, byte[] Data) Read(string path, string descr)
    {
        if (!File.Exists(path))
        {
            throw new CompatLabUserException($"{path}: file not found");
        }

        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.Length < Magic.Length + 2 || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new CompatLabUserException($"{path}: not a version 1.0 .npy file");
        }

        int headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(Magic.Length, 2));
        int dataStart = Magic.Length + 2 + headerLength;
        string header = Encoding.ASCII.GetString(bytes, Magic.Length + 2, headerLength);
        var match = HeaderPattern().Match(header);
        if (!match.Success || match.Groups["descr"].Value != descr || match.Groups["fortran"].Value != "False")
        {
            throw new CompatLabUserException($"{path}: expected C-ordered '{descr}' data, header was {header.Trim()}");
        }

        int[] shape = match.Groups["shape"].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.Parse(s, NumberStyles.None, CultureInfo.InvariantCulture)).ToArray();
        long expected = shape.Aggregate(1L, (a, b) => a * b) * (descr == "<f4" ? 4 : 8);
        if (bytes.Length - dataStart != expected)
        {
            throw new CompatLabUserException($"{path}: header promises {expected} bytes of data but the file holds {bytes.Length - dataStart}");
        }

        return (shape, bytes[dataStart..]);
    }

    [GeneratedRegex(@"'descr':\s*'(?<descr>[^']+)',\s*'fortran_order':\s*(?<fortran>True|False),\s*'shape':\s*\((?<shape>[0-9,\s]*)\)")]
    private static partial Regex HeaderPattern();
}
