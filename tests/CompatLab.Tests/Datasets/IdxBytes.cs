using System.Buffers.Binary;

namespace CompatLab.Tests.Datasets;

/// <summary>Builds IDX file contents by hand, valid or deliberately broken.</summary>
internal static class IdxBytes
{
    public const byte UnsignedByte = 0x08;

    public static byte[] File(byte type, uint[] sizes, byte[] data)
    {
        var bytes = new byte[4 + (4 * sizes.Length) + data.Length];
        bytes[2] = type;
        bytes[3] = (byte)sizes.Length;
        for (int d = 0; d < sizes.Length; d++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4 + (4 * d)), sizes[d]);
        }

        data.CopyTo(bytes, 4 + (4 * sizes.Length));
        return bytes;
    }

    public static byte[] Images(int count, int rows, int columns, Func<int, byte> pixel) =>
        File(UnsignedByte, [(uint)count, (uint)rows, (uint)columns], ImagePixels(count, rows, columns, pixel));

    public static byte[] ImagePixels(int count, int rows, int columns, Func<int, byte> pixel) =>
        Enumerable.Range(0, count * rows * columns).Select(pixel).ToArray();

    public static byte[] Labels(params byte[] labels) => File(UnsignedByte, [(uint)labels.Length], labels);
}
